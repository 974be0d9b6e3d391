import type { ComponentChildren } from 'preact';

/** A column of a board table: its heading, whether it holds figures (right-aligned), and what it means. */
export interface Column {
  label: ComponentChildren;
  numeric?: boolean;
  title?: string;
}

/** One of the wallboard's tables, in its card, named by its heading (so it is found as a table of that name). */
export function BoardTable(props: {
  id: string;
  title: string;
  columns: Column[];
  empty?: string;
  footnote?: ComponentChildren;
  children: ComponentChildren[];
}) {
  const titleId = `${props.id}-title`;
  return (
    <section class="card board-section" aria-labelledby={titleId}>
      <h2 id={titleId}>{props.title}</h2>
      <table aria-labelledby={titleId}>
        <thead>
          <tr>
            {props.columns.map((c, i) => (
              <th key={i} scope="col" class={c.numeric ? 'num' : undefined} title={c.title}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.children.length === 0 && props.empty && (
            <tr>
              <td colSpan={props.columns.length} class="muted">
                {props.empty}
              </td>
            </tr>
          )}
          {props.children}
        </tbody>
      </table>
      {props.footnote}
    </section>
  );
}
