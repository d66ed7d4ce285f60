/**
 * Reads the organisation file (YAML or JSON) and validates it. Every problem is reported with the
 * file, the path inside it and, where known, the line, so an administrator can fix it directly.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { organisationSchema, type Organisation } from './schema';

export class OrganisationFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`The organisation file ${file} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'OrganisationFileError';
  }
}

/** Parses organisation text; `file` is only used in messages. JSON is valid YAML, so one parser serves both. */
export function parseOrganisation(text: string, file: string): Organisation {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) {
    throw new OrganisationFileError(
      file,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
      }),
    );
  }
  const result = organisationSchema.safeParse(doc.toJS());
  if (result.success) return result.data;

  throw new OrganisationFileError(
    file,
    result.error.issues.map((issue) => {
      const where = formatPath(issue.path);
      const line = lineOf(doc, lineCounter, issue.path);
      return `${where}${line ? ` (line ${line})` : ''}: ${issue.message}`;
    }),
  );
}

export function loadOrganisationFile(file: string): Organisation {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'the file does not exist' : (err as Error).message;
    throw new OrganisationFileError(path.normalize(file), [`${reason} (set ORG_FILE to the organisation file's path)`]);
  }
  return parseOrganisation(text, path.normalize(file));
}

function formatPath(p: (string | number)[]): string {
  if (!p.length) return '(top level)';
  return p.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/** The line of the deepest node that exists on the path (a missing key points at its parent). */
function lineOf(doc: ReturnType<typeof parseDocument>, lc: LineCounter, p: (string | number)[]): number | undefined {
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}
