/**
 * Renders a pull-request comment as GitHub would and checks what GitHub adds on top of
 * CommonMark: markdown-it (a CommonMark parser with the GFM tables and strikethrough, raw HTML
 * on as GitHub allows <details>/<summary>) gives the HTML; the checks below restate GitHub's
 * rules that markdown-it does not know.
 *
 * Alerts, per GitHub's "Basic writing and formatting syntax" (docs.github.com, section Alerts):
 * a blockquote whose first line is `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]` or
 * `[!CAUTION]`, alone; the alert's text follows in the same blockquote.
 */
import MarkdownIt from "markdown-it";

const ALERTS = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];

export interface RenderedComment {
  readonly html: string;
  /** The alerts, in order: kind and the text of the rest of the blockquote. */
  readonly alerts: { kind: string; text: string }[];
  /** Rendered tables: their header cells. */
  readonly tables: string[][];
  /** `<details>` opened and closed. */
  readonly details: { opened: number; closed: number };
}

const md = new MarkdownIt({ html: true });

/** Renders `markdown`; throws when an alert marker, a table or a details block would not render as meant. */
export function renderGitHubMarkdown(markdown: string): RenderedComment {
  const tokens = md.parse(markdown, {});
  const alerts: { kind: string; text: string }[] = [];
  const tables: string[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === "blockquote_open") {
      const first = tokens[i + 2];
      const m = /^\[!([A-Z]+)\]/.exec(first?.content ?? "");
      if (m) {
        if (!ALERTS.includes(m[1])) throw new Error(`unknown alert kind [!${m[1]}]`);
        if (first.content !== `[!${m[1]}]`)
          throw new Error(
            `alert marker [!${m[1]}] is not alone on its line: ${JSON.stringify(first.content)}`,
          );
        const end = tokens.findIndex(
          (x, j) => j > i && x.type === "blockquote_close" && x.level === t.level,
        );
        const text = tokens
          .slice(i + 4, end)
          .filter((x) => x.type === "inline")
          .map((x) => x.content)
          .join("\n");
        alerts.push({ kind: m[1], text });
      }
    }
    if (t.type === "thead_open") {
      const end = tokens.findIndex((x, j) => j > i && x.type === "thead_close");
      tables.push(
        tokens
          .slice(i, end)
          .filter((x) => x.type === "inline")
          .map((x) => x.content),
      );
    }
    if (t.type === "inline" && /^\|.*\|$/m.test(t.content))
      throw new Error(`a table row renders as text: ${JSON.stringify(t.content.slice(0, 200))}`);
  }
  const html = md.renderer.render(tokens, md.options, {});
  const details = {
    opened: (html.match(/<details[ >]/g) ?? []).length,
    closed: (html.match(/<\/details>/g) ?? []).length,
  };
  if (details.opened !== details.closed)
    throw new Error(`<details> opened ${details.opened} times, closed ${details.closed}`);
  return { html, alerts, tables, details };
}
