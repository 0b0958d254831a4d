/**
 * Reads a JSON document attribute of a synthesized resource (a policy, container definitions) as
 * a value. The stacks write them with Terraform's jsonencode(), which cdktf renders as
 * `${jsonencode({"Key" = value, ...})}` with references as bare traversals; this parses that
 * subset of HCL (strings, numbers, booleans, null, lists, objects, traversals) and renders each
 * reference as the `${...}` string a plain JSON document would hold. Plain JSON passes through.
 */

const JSONENCODE = /^\$\{jsonencode\(([\s\S]*)\)\}$/;

export function decodeJsonAttribute(value: string): any {
  const match = JSONENCODE.exec(value);
  if (!match) return JSON.parse(value);
  const parser = new HclValueParser(match[1]);
  const result = parser.value();
  parser.end();
  return result;
}

class HclValueParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  value(): any {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '"') return this.string();
    if (c === "[") return this.list();
    if (c === "{") return this.object();
    const literal = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)\b/.exec(this.text.slice(this.pos));
    if (literal) {
      this.pos += literal[0].length;
      return JSON.parse(literal[0]);
    }
    const traversal = /^[A-Za-z_][\w-]*(\.[\w-]+|\[\d+\])*/.exec(this.text.slice(this.pos));
    if (traversal) {
      this.pos += traversal[0].length;
      return `\${${traversal[0]}}`;
    }
    throw new Error(`unexpected ${JSON.stringify(this.text.slice(this.pos, this.pos + 20))} at ${this.pos}`);
  }

  end(): void {
    this.skipSpace();
    if (this.pos !== this.text.length)
      throw new Error(`trailing text at ${this.pos}: ${this.text.slice(this.pos, this.pos + 20)}`);
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== char)
      throw new Error(`expected ${char} at ${this.pos}, got ${this.text.slice(this.pos, this.pos + 20)}`);
    this.pos++;
  }

  /** A quoted string, `${...}` templates kept as they are. */
  private string(): string {
    this.expect('"');
    let out = "";
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) throw new Error("unterminated string");
      if (c === '"') return out;
      if (c === "\\") {
        const e = this.text[this.pos++];
        out += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e;
      } else {
        out += c;
      }
    }
  }

  private list(): any[] {
    this.expect("[");
    const out: any[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === "]") break;
      out.push(this.value());
      this.skipSpace();
      if (this.text[this.pos] === ",") this.pos++;
    }
    this.pos++;
    return out;
  }

  private object(): Record<string, any> {
    this.expect("{");
    const out: Record<string, any> = {};
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === "}") break;
      const key = this.text[this.pos] === '"' ? this.string() : String(this.value()).replace(/^\$\{(.*)\}$/, "$1");
      this.skipSpace();
      if (this.text[this.pos] === "=" || this.text[this.pos] === ":") this.pos++;
      else throw new Error(`expected = after key ${key} at ${this.pos}`);
      out[key] = this.value();
      this.skipSpace();
      if (this.text[this.pos] === ",") this.pos++;
    }
    this.pos++;
    return out;
  }
}
