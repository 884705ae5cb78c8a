import { describe, expect, it } from 'vitest';
import { attachmentExternalId, attachmentTitle, planAttachments, type AttachmentLimits } from '../../../ingestion/attachments';
import { makePdf, textPage } from './make-pdf';

const text = (value: string) => new TextEncoder().encode(value);
const limits: AttachmentLimits = { maxCount: 3, maxTotalBytes: 10_000, maxFileBytes: 8_000 };
const outcome = (planned: ReturnType<typeof planAttachments>[number]) => ('error' in planned ? { key: planned.key, error: planned.error.code } : { key: planned.key, mime: planned.mime });

describe('planAttachments', () => {
  it('sniffs each attachment like an upload; an unsupported, empty or encrypted one is refused on its own', () => {
    const ole = new Uint8Array(Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.from('\0EncryptedPackage', 'utf16le'), Buffer.alloc(512)]));
    const planned = planAttachments(
      [
        { fileName: 'notes.pdf', mime: 'application/pdf', content: makePdf([textPage(['Seal kit SK-204.'])]) },
        { fileName: 'data.bin', mime: 'application/octet-stream', content: new Uint8Array([0, 1, 2, 255, 0, 7]) },
        { fileName: 'blank.txt', mime: 'text/plain', content: text('  \n') },
        { fileName: 'secret.docx', mime: 'application/octet-stream', content: ole },
      ],
      limits,
    );
    expect(planned.map(outcome)).toEqual([
      { key: 'notes.pdf', mime: 'application/pdf' },
      { key: 'data.bin', error: 'UNSUPPORTED_MEDIA_TYPE' },
      { key: 'blank.txt', error: 'EMPTY_FILE' },
      { key: 'secret.docx', error: 'OFFICE_ENCRYPTED' },
    ]);
  });

  it('bounds their number and total size: later ones are refused, refused ones do not count, names stay unique', () => {
    const planned = planAttachments(
      [
        { fileName: 'a.txt', mime: 'text/plain', content: text('a'.repeat(6_000)) },
        { fileName: 'big.txt', mime: 'text/plain', content: text('b'.repeat(9_000)) },
        { fileName: 'b.txt', mime: 'text/plain', content: text('c'.repeat(5_000)) },
        { fileName: 'a.txt', mime: 'text/plain', content: text('d'.repeat(100)) },
        { fileName: '', mime: 'text/plain', content: text('e') },
        { fileName: 'late.txt', mime: 'text/plain', content: text('f') },
      ],
      limits,
    );
    expect(planned.map(outcome)).toEqual([
      { key: 'a.txt', mime: 'text/plain' },
      { key: 'big.txt', error: 'PAYLOAD_TOO_LARGE' },
      { key: 'b.txt', error: 'PAYLOAD_TOO_LARGE' },
      { key: 'a.txt#2', mime: 'text/plain' },
      { key: 'attachment-5', mime: 'text/plain' },
      { key: 'late.txt', error: 'PAYLOAD_TOO_LARGE' },
    ]);
    expect('error' in planned[1]! && planned[1].error.message).toMatch(/MAX_UPLOAD_BYTES/u);
    expect('error' in planned[2]! && planned[2].error.message).toMatch(/EML_MAX_ATTACHMENT_BYTES/u);
    expect('error' in planned[5]! && planned[5].error.message).toMatch(/EML_MAX_ATTACHMENTS/u);
  });

  it('names the child after its file and its email, keyed by the email document', () => {
    expect(attachmentTitle('notes.pdf', 'Your router has shipped')).toBe('notes.pdf, attachment of “Your router has shipped”');
    expect(attachmentTitle('x.pdf', 'y'.repeat(400)).length).toBeLessThanOrEqual(300);
    expect(attachmentExternalId('d0c', 'notes.pdf')).toBe('attachment:d0c:notes.pdf');
  });
});
