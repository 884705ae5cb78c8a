import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { storeTargets } from '../helpers/stores';
import { createCorpus, getDocument, search, upload, uploadRequest, waitForJob } from '../helpers/ingestion';
import { makeDocx, makeXlsx } from '../unit/ingestion/office-fixtures';
import { contentDisposition } from '../../src/api/routes/texts';

const targets = await storeTargets('office documents API');

describe.each(targets)('Office documents and originals through the API on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: await target.open() });
    await createCorpus(t, 'office');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ingests a DOCX and an XLSX; titles come from the files; search finds rows cited by sheet and row range', async () => {
    const docx = await upload(t, 'office', { name: 'guide.docx', bytes: Buffer.from(await makeDocx()), contentType: 'application/octet-stream' });
    const xlsx = await upload(t, 'office', { name: 'prices.xlsx', bytes: Buffer.from(await makeXlsx(40)), contentType: 'application/octet-stream' });
    expect((await waitForJob(t, docx.jobId!)).state).toBe('completed');
    expect((await waitForJob(t, xlsx.jobId!)).state).toBe('completed');
    // The file's own title (core properties) replaces the file name.
    expect((await getDocument(t, docx.documentId)).json().title).toBe('Pump Maintenance Guide');
    const sheet = (await getDocument(t, xlsx.documentId)).json();
    expect(sheet.title).toBe('Price List 2026');
    expect(sheet.versions[0].mime).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const hits = await search(t, 'office', 'Plan 17 monthly price');
    expect(JSON.stringify(hits[0])).toMatch(/Plans, rows \d+–\d+/u);
  });

  it('refuses a password-protected Office file with OFFICE_ENCRYPTED and stores nothing', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.from('\0EncryptedPackage', 'utf16le'), Buffer.alloc(512)]);
    const response = await uploadRequest(t, 'office', { name: 'secret.docx', bytes: ole, contentType: 'application/octet-stream' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('OFFICE_ENCRYPTED');
    const list = await t.app.inject({ method: 'GET', url: '/v1/corpora/office/documents', headers: bearer(t.adminKey) });
    expect(list.json().documents.map((document: { title: string }) => document.title)).not.toContain('secret.docx');
  });

  it('GET /v1/versions/:id/original returns the bytes with their type and a safe Content-Disposition, to the owning tenant only', async () => {
    const bytes = Buffer.from(await makeDocx());
    const answer = await upload(t, 'office', { name: 'Pumpen-Übersicht v2;x.docx', bytes, contentType: 'application/octet-stream' });
    const queryKey = await t.keyFor('default', ['query']);
    const response = await t.app.inject({ method: 'GET', url: `/v1/versions/${answer.versionId}/original`, headers: bearer(queryKey) });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(response.headers['content-disposition']).toBe(contentDisposition('Pumpen-Übersicht v2;x.docx'));
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="Pumpen-_bersicht v2_x.docx"; filename\*=UTF-8''Pumpen-%C3%9Cbersicht%20v2%3Bx.docx$/u);
    expect(Buffer.compare(response.rawPayload, bytes)).toBe(0);

    const otherKey = await t.keyFor('other-tenant', ['query', 'admin']);
    const foreign = await t.app.inject({ method: 'GET', url: `/v1/versions/${answer.versionId}/original`, headers: bearer(otherKey) });
    expect(foreign.statusCode).toBe(404);
    const ingestOnly = await t.keyFor('default', ['ingest']);
    expect((await t.app.inject({ method: 'GET', url: `/v1/versions/${answer.versionId}/original`, headers: bearer(ingestOnly) })).statusCode).toBe(403);
  });
});
