import { htmlToBlocks } from './html';
import type { ParsedBlock, ParsedDocument } from './types';

export interface ParsedEmail {
  subject: string;
  from: string;
  to: string;
  cc: string;
  date: string;
  text: string;
  html: string;
  attachments: { filename: string; mimeType: string; size: number; content: Uint8Array }[];
}

/**
 * The subject as the heading, the sender, recipients and date as one block, then the body (its text part, else its
 * HTML) and the list of attachments, whose bytes come along to become documents of their own.
 */
export function emailToDocument(email: ParsedEmail): ParsedDocument {
  const blocks: ParsedBlock[] = [];
  const subject = email.subject.replace(/\s+/gu, ' ').trim();
  if (subject) blocks.push({ kind: 'heading', level: 1, text: subject });
  const header = [
    email.from && `From: ${email.from}`,
    email.to && `To: ${email.to}`,
    email.cc && `Cc: ${email.cc}`,
    email.date && `Date: ${email.date}`,
  ].filter(Boolean);
  if (header.length > 0) blocks.push({ kind: 'paragraph', text: header.join('\n') });
  if (email.text.trim().length > 0) {
    for (const paragraph of email.text.replace(/\r\n?/gu, '\n').split(/\n[ \t]*\n/u)) if (paragraph.trim()) blocks.push({ kind: 'paragraph', text: paragraph });
  } else if (email.html.trim().length > 0) {
    blocks.push(...htmlToBlocks(email.html).blocks);
  }
  if (email.attachments.length > 0) {
    blocks.push({ kind: 'paragraph', text: `Attachments: ${email.attachments.map((item) => `${item.filename || 'unnamed'} (${item.mimeType}, ${item.size} bytes)`).join('; ')}` });
  }
  const attachments = email.attachments.map((item) => ({ fileName: item.filename, mime: item.mimeType, content: item.content }));
  return { mime: 'message/rfc822', pageCount: null, ...(subject ? { title: subject } : {}), pages: [{ page: null, blocks }], attachments };
}
