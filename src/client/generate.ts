import openapiTS, { astToString } from 'openapi-typescript';

const HEADER = '// Generated from the OpenAPI document by `npm run client:generate`; do not edit (a test checks it matches).\n';

/** The TypeScript types of the API (paths, operations, components) that the typed client is built on. */
export async function clientTypesOf(document: object): Promise<string> {
  const ast = await openapiTS(document as never, { alphabetize: true });
  return HEADER + astToString(ast);
}
