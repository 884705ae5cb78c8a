#!/usr/bin/env node
// The `attest` command. The project runs TypeScript through tsx (a dependency), as `npm start` does.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
