import { createElement, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TEXT_KEY_ATTR, TEXT_KIND_ATTR, type PhraseResult, type Quote } from './offsets';
import type { Block, Version } from './queries';
import { panelId } from './ThreadPanel';

type Segment = { kind: 'single'; block: Block } | { kind: 'list'; blocks: Block[] } | { kind: 'table'; blocks: Block[] };

/** segments groups runs of list items into lists and runs of table rows into tables. */
export function segments(blocks: Block[]): Segment[] {
  const out: Segment[] = [];
  for (const b of blocks) {
    const last = out[out.length - 1];
    if (b.kind === 'list_item' || b.kind === 'table_row') {
      const kind = b.kind === 'list_item' ? 'list' : 'table';
      if (last && last.kind === kind) last.blocks.push(b);
      else out.push({ kind, blocks: [b] });
    } else {
      out.push({ kind: 'single', block: b });
    }
  }
  return out;
}

/** headingTag offsets a block heading's level so the page's h1 stays the document title. */
export function headingTag(level: number): 'h2' | 'h3' | 'h4' | 'h5' | 'h6' {
  return `h${Math.min(6, Math.max(2, level + 1))}` as 'h2' | 'h3' | 'h4' | 'h5' | 'h6';
}

export interface TextProps {
  version: Version;
  /** The latest version: blocks have counts and open their threads. */
  interactive: boolean;
  openKey: string | null;
  selection: PhraseResult;
  onToggle: (key: string) => void;
  onOpen: (key: string) => void;
  onTakePhrase: (key: string, quote: Quote) => void;
  /** The thread panel to show right after a block (narrow screens), or null. */
  inlinePanel: (key: string) => ReactNode;
}

/** DocumentText renders a version's blocks in reading order. */
export function DocumentText(props: TextProps) {
  return (
    <>
      {segments(props.version.blocks).map((s) => {
        if (s.kind === 'list') {
          return (
            <ul className="block-list" key={s.blocks[0].key}>
              {s.blocks.map((b) => (
                <li key={b.key} id={`p-${b.key}`} className={blockClass(b, props)}>
                  <span className="block-text" {...textAttrs(b, props)}>
                    {b.text}
                  </span>
                  <Margin block={b} {...props} />
                  {props.inlinePanel(b.key)}
                </li>
              ))}
            </ul>
          );
        }
        if (s.kind === 'table') return <TableRun key={s.blocks[0].key} blocks={s.blocks} {...props} />;
        const b = s.block;
        return (
          <div key={b.key} id={`p-${b.key}`} className={blockClass(b, props)}>
            <BlockText block={b} {...props} />
            <Margin block={b} {...props} />
            {props.inlinePanel(b.key)}
          </div>
        );
      })}
    </>
  );
}

function blockClass(b: Block, props: TextProps) {
  return `block block-${b.kind}${props.openKey === b.key ? ' block-open' : ''}`;
}

/** textAttrs marks a block's text element for phrase selection and opens the thread on a click. */
function textAttrs(b: Block, props: TextProps) {
  return {
    [TEXT_KEY_ATTR]: b.key,
    [TEXT_KIND_ATTR]: b.kind,
    onClick: props.interactive
      ? () => {
          const sel = document.getSelection();
          if (sel && !sel.isCollapsed) return; // selecting words, not choosing the paragraph
          props.onOpen(b.key);
        }
      : undefined,
  };
}

function BlockText({ block: b, ...props }: TextProps & { block: Block }) {
  const attrs = textAttrs(b, props);
  switch (b.kind) {
    case 'heading':
      return createElement(headingTag(b.level), { className: 'block-text', ...attrs }, b.text);
    case 'quote':
      return (
        <blockquote className="block-quote">
          <p className="block-text" {...attrs}>
            {b.text}
          </p>
        </blockquote>
      );
    default:
      return (
        <p className="block-text" {...attrs}>
          {b.text}
        </p>
      );
  }
}

/**
 * cellClass marks a cell of running text, whose column gets room for a few
 * words a line: a wide table then scrolls inside its frame rather than
 * squeeze its columns to a word each.
 */
function cellClass(cell: string): string | undefined {
  return cell.length > longCell ? 'cell-long' : undefined;
}

/** longCell is the length (in UTF-16 units) above which a cell is running text rather than a label or a figure. */
const longCell = 40;

/** TableRun renders consecutive table rows as one table; a Markdown table's first row is its header. */
function TableRun({ blocks, ...props }: TextProps & { blocks: Block[] }) {
  const { t } = useTranslation();
  const header = props.version.source_format === 'markdown';
  const openHere = blocks.some((b) => b.key === props.openKey);
  return (
    <>
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a wide table scrolls: keyboard users focus it to scroll (WCAG 2.1.1) */}
      <div className="table-wrap" role="region" aria-label={t('reader.table')} tabIndex={0}>
        <table className="block-table">
          <tbody>
            {blocks.map((b, i) => (
              <tr key={b.key} id={`p-${b.key}`} className={`block-row${props.openKey === b.key ? ' block-open' : ''}`} {...textAttrs(b, props)}>
                {b.text.split('\t').map((cell, j) =>
                  header && i === 0 ? (
                    <th key={j} scope="col" className={cellClass(cell)}>
                      {cell}
                    </th>
                  ) : (
                    <td key={j} className={cellClass(cell)}>
                      {cell}
                    </td>
                  ),
                )}
                {props.interactive && b.counts && (
                  <td className="row-margin">
                    <Margin block={b} {...props} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {openHere && props.openKey && props.inlinePanel(props.openKey)}
    </>
  );
}

/** Margin holds a block's comment count (the button that opens its thread) and its phrase button. */
function Margin({ block: b, interactive, openKey, selection, onToggle, onTakePhrase, version }: TextProps & { block: Block }) {
  const { t } = useTranslation();
  const change = version.number > 1 && b.change !== 'same' && <span className={`change-tag change-${b.change}`}>{t(`reader.change.${b.change}`)}</span>;
  if (!interactive || !b.counts) return change ? <div className="block-margin">{change}</div> : null;
  const open = openKey === b.key;
  const votes = b.counts.agree + b.counts.disagree;
  return (
    <div className="block-margin">
      <button type="button" className="count-button" aria-expanded={open} aria-controls={open ? panelId(b.key) : undefined} onClick={() => onToggle(b.key)}>
        {t('reader.comments', { count: b.counts.comments })}
      </button>
      {votes > 0 && <span className="count-votes">{t('reader.votes', { agree: b.counts.agree, disagree: b.counts.disagree })}</span>}
      {change}
      {version.commenting && selection.kind === 'phrase' && selection.key === b.key && (
        <button
          type="button"
          className="phrase-button"
          // Keep the selection: the button acts on it.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onTakePhrase(b.key, selection.quote)}
        >
          {t('reader.commentOnPhrase')}
        </button>
      )}
    </div>
  );
}
