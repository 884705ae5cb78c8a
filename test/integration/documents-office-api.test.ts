import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { storeTargets } from '../helpers/stores';
import { createCorpus, getDocument, search, upload, uploadRequest, waitForJob } from '../helpers/ingestion';
import { makeDocx, makeEml, makeXlsx } from '../unit/ingestion/office-fixtures';
import { makePdf, textPage } from '../unit/ingestion/make-pdf';
import { scannedPage } from '../unit/ingestion/scan-fixtures';
import { ask } from '../helpers/answers';
import { contentDisposition } from '../../src/api/routes/texts';

const targets = await storeTargets('office documents API');

describe.each(targets)('Office documents and originals through the API on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    // The gate off: the citation test asks about a one-line scan, too little text for its lexical stand-in.
    t = await createTestApp({ store: await target.open(), env: { ANSWER_GATE: 'off' } });
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

  it('an email\'s attachments become documents of their own, linked to it; a bogus one is an error on the email; a new version replaces them; deleting the email deletes them', async () => {
    await createCorpus(t, 'mail');
    const subject = 'Seal kit for your pump';
    const pdf = makePdf([textPage(['# Seal kit', 'The replacement seal kit is part number SK-204.'])]);
    const first = await makeEml({
      subject,
      text: 'Hello,\n\nthe seal kit details are attached.',
      attachments: [
        { filename: 'seal-kit.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'data.bin', content: new Uint8Array([0, 1, 2, 255, 0, 7, 9]), contentType: 'application/octet-stream' },
        { filename: 'broken.pdf', content: new TextEncoder().encode('%PDF-1.7\nnot really a PDF'), contentType: 'application/pdf' },
      ],
    });
    const email = await upload(t, 'mail', { name: 'message.eml', bytes: Buffer.from(first), contentType: 'message/rfc822' });
    expect((await waitForJob(t, email.jobId!)).state).toBe('completed');
    await t.idle();
    const parent = (await getDocument(t, email.documentId)).json();
    expect(parent.title).toBe(subject);
    expect(parent.status).toBe('ready');
    const outcomes = parent.versions[0].attachments;
    expect(outcomes).toEqual([
      expect.objectContaining({ fileName: 'seal-kit.pdf', mime: 'application/pdf', documentId: expect.any(String), versionId: expect.any(String), status: 'ready' }),
      expect.objectContaining({ fileName: 'data.bin', error: expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }) }),
      // Sniffed as a PDF, it became a document, which failed: the email shows its error too.
      expect.objectContaining({ fileName: 'broken.pdf', documentId: expect.any(String), status: 'failed', error: expect.objectContaining({ code: 'PDF_CORRUPT' }) }),
    ]);
    expect(outcomes[0]).not.toHaveProperty('error');
    const childId = outcomes[0].documentId as string;
    const child = (await getDocument(t, childId)).json();
    expect(child).toMatchObject({ parentDocumentId: email.documentId, title: `seal-kit.pdf, attachment of “${subject}”`, status: 'ready' });
    expect(child.versions[0].mime).toBe('application/pdf');
    const otherKey = await t.keyFor('other-tenant', ['query', 'admin']);
    expect((await getDocument(t, childId, otherKey)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/documents/${email.documentId}`, headers: bearer(otherKey) })).statusCode).toBe(404);
    expect((await getDocument(t, childId)).statusCode).toBe(200);
    // Citations of the attachment name it and its email.
    const [hit] = (await search(t, 'mail', 'replacement seal kit part number SK-204')) as unknown as { documentId: string; title: string; page: number }[];
    expect(hit).toMatchObject({ documentId: childId, title: `seal-kit.pdf, attachment of “${subject}”`, page: 1 });

    // A new version of the email: its attachments replace the old ones.
    const second = await makeEml({ subject, text: 'Hello,\n\nthe torque table is attached instead.', attachments: [{ filename: 'torque.txt', content: 'Housing bolts take 25 Nm of torque.' }] });
    const next = await upload(t, 'mail', { name: 'message.eml', bytes: Buffer.from(second), contentType: 'message/rfc822' });
    expect(next.documentId).toBe(email.documentId);
    expect((await waitForJob(t, next.jobId!)).state).toBe('completed');
    await t.idle();
    expect((await getDocument(t, childId)).statusCode).toBe(404);
    const latest = (await getDocument(t, email.documentId)).json();
    const newChildId = latest.versions.at(-1).attachments[0].documentId as string;
    expect((await getDocument(t, newChildId)).json()).toMatchObject({ parentDocumentId: email.documentId, status: 'ready' });

    // Deleting the email deletes its attachments' documents.
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/documents/${email.documentId}`, headers: bearer(t.adminKey) })).statusCode).toBe(204);
    expect((await getDocument(t, newChildId)).statusCode).toBe(404);
    const left = await t.app.inject({ method: 'GET', url: '/v1/corpora/mail/documents', headers: bearer(t.adminKey) });
    expect(left.json().documents).toEqual([]);
  });

  it('citations and search results on pages read by OCR carry its confidence; born-digital text does not', async () => {
    await createCorpus(t, 'scans');
    const scan = scannedPage(['To reset the router, hold its button for ten seconds.', 'The lights blink twice when the reset is done.'], { width: 1200, compact: true });
    const scanned = await upload(t, 'scans', { name: 'reset-scan.png', bytes: Buffer.from(scan), contentType: 'image/png' });
    const digital = await upload(t, 'scans', { name: 'firmware.pdf', bytes: Buffer.from(makePdf([textPage(['# Firmware', 'Flash the firmware with the web installer.'])])), contentType: 'application/pdf' });
    expect((await waitForJob(t, scanned.jobId!, { timeoutMs: 60_000 })).state).toBe('completed');
    expect((await waitForJob(t, digital.jobId!)).state).toBe('completed');
    const hits = (await search(t, 'scans', 'reset the router hold its button')) as unknown as { documentId: string; ocr?: { confidence: number } }[];
    const scanHit = hits.find((item) => item.documentId === scanned.documentId);
    expect(scanHit?.ocr?.confidence).toBeGreaterThan(50);
    expect(scanHit?.ocr?.confidence).toBeLessThanOrEqual(100);
    const digitalHit = (await search(t, 'scans', 'flash the firmware web installer')).find((item) => item.documentId === digital.documentId) as { ocr?: unknown } | undefined;
    expect(digitalHit).toBeDefined();
    expect(digitalHit).not.toHaveProperty('ocr');

    const fromScan = await ask(t, 'scans', 'How long do I hold the button to reset the router?');
    const scanCitation = fromScan.citations.find((citation) => citation.documentId === scanned.documentId);
    expect(scanCitation?.ocr?.confidence).toBe(scanHit?.ocr?.confidence);
    const fromPdf = await ask(t, 'scans', 'How do I flash the firmware?');
    const pdfCitation = fromPdf.citations.find((citation) => citation.documentId === digital.documentId);
    expect(pdfCitation).toBeDefined();
    expect(pdfCitation).not.toHaveProperty('ocr');
  });
});
