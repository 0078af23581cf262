import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { FilterSelect } from '../../components/filters';
import { LoadMore } from '../../components/LoadMore';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { errorText, QueryState, useDocumentTitle } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { coverKey, dispositionName, ledgerCover, paragraphHref, ruleName, ruleText, seatName, shortHash } from './format';
import { ForumLinks } from './ForumPage';
import { CoverItem } from './ResponseParts';
import { LedgerTrust } from './LedgerTrust';
import { dispositions, isProgressEntry, isReportEntry, isRuleChange, progressRendered, responseRendered, useForum, useLedger, useLedgerVerification, type Checkpoint, type Cover, type Disposition, type LedgerEntry, type LedgerKind, type LedgerMember, type LedgerRuleChange, type LedgerVerification, type ProgressEntryFields, type ReportEntryFields, type ResponseEntryFields } from './queries';

type T = (key: string, opts?: Record<string, unknown>) => string;

/** verificationText says, in one sentence, what the server found when it recomputed the chain. */
export function verificationText(t: T, v: LedgerVerification): string {
  if (!v.ok) {
    return v.first_broken_seq != null
      ? t('forum.ledger.broken', { seq: v.first_broken_seq, problem: v.problem ?? t('forum.ledger.unknownProblem') })
      : t('forum.ledger.brokenSomewhere', { problem: v.problem ?? t('forum.ledger.unknownProblem') });
  }
  if (v.entries === 0) return t('forum.ledger.verifiedEmpty');
  return t('forum.ledger.verified', { count: v.entries });
}

/** LedgerPage is a process's public, hash-chained ledger of published responses: /processes/:slug/ledger. */
export function LedgerPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const [params, setParams] = useSearchParams();
  const raw = params.get('disposition') ?? '';
  const disposition = (dispositions as string[]).includes(raw) ? (raw as Disposition) : undefined;
  const rawKind = params.get('kind') ?? '';
  const kind = rawKind === 'response' || rawKind === 'rule_change' || rawKind === 'progress_update' || rawKind === 'report' ? (rawKind as LedgerKind) : undefined;
  // Only responses have a disposition.
  const noDisposition = kind !== undefined && kind !== 'response';
  const process = useProcess(slug);
  const forum = useForum(slug, account);
  const ledger = useLedger(slug, noDisposition ? undefined : disposition, kind);
  const verify = useLedgerVerification(slug);
  const list = useRef<HTMLOListElement>(null);
  const notFound = (ledger.error instanceof AppError && ledger.error.status === 404) || (process.error instanceof AppError && process.error.status === 404);
  useDocumentTitle(t('forum.ledger.title'), notFound);

  const entries = ledger.data?.pages.flatMap((p) => p.items) ?? [];
  const first = ledger.data?.pages[0];

  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;

  const checkpoint: Checkpoint | null = verify.data?.checkpoint ?? first?.checkpoint ?? null;
  return (
    <div className="ledger-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('forum.ledger.title')}</h1>
      <p className="lead">{t('forum.ledger.intro')}</p>
      <p>{t('commitments.ledger.alsoUpdates')}</p>
      <ForumLinks slug={slug} forum={forum.data} current="ledger" />

      <section className="ledger-verification" aria-labelledby="ledger-verify" aria-busy={verify.isFetching}>
        <h2 id="ledger-verify">{t('forum.ledger.verifyTitle')}</h2>
        <p role="status" aria-live="polite" className={verify.data ? (verify.data.ok ? 'verify-ok' : 'verify-broken') : undefined}>
          {verify.isPending ? t('forum.ledger.verifying') : verify.isError ? errorText(t, verify.error) : verificationText(t, verify.data)}
        </p>
        {checkpoint && <CheckpointBox checkpoint={checkpoint} valid={verify.data?.checkpoint_valid ?? null} />}
        {!checkpoint && verify.isSuccess && <p>{t('forum.ledger.noCheckpoint')}</p>}
        <p>
          <a href={`/api/v1/processes/${encodeURIComponent(slug)}/ledger/export`} download>
            {t('forum.ledger.export')}
          </a>
        </p>
      </section>
      <LedgerTrust slug={slug} />

      <section aria-labelledby="ledger-entries" aria-busy={ledger.isFetching}>
        <h2 id="ledger-entries" className="visually-hidden">
          {t('forum.ledger.entriesTitle')}
        </h2>
        <div className="idea-filters">
          <FilterSelect
            label={t('commitments.ledger.kindFilter')}
            value={kind ?? ''}
            options={[
              { value: '', label: t('commitments.ledger.allKinds') },
              { value: 'response', label: t('commitments.ledger.kind.response') },
              { value: 'rule_change', label: t('commitments.ledger.kind.rule_change') },
              { value: 'progress_update', label: t('commitments.ledger.kind.progress_update') },
              { value: 'report', label: t('commitments.ledger.kind.report') },
            ]}
            onChange={(v) => {
              const next = new URLSearchParams(params);
              if (v) next.set('kind', v);
              else next.delete('kind');
              if (v === 'progress_update' || v === 'report') next.delete('disposition');
              setParams(next, { replace: true });
            }}
          />
          <FilterSelect
            label={t('forum.ledger.filter')}
            disabled={noDisposition}
            value={noDisposition ? '' : (disposition ?? '')}
            options={[{ value: '', label: t('forum.ledger.allDispositions') }, ...dispositions.map((d) => ({ value: d, label: dispositionName(t, d) }))]}
            onChange={(v) => {
              const next = new URLSearchParams(params);
              if (v) next.set('disposition', v);
              else next.delete('disposition');
              setParams(next, { replace: true });
            }}
          />
        </div>
        <QueryState query={ledger} empty={entries.length === 0 && (disposition ? t('forum.ledger.noMatch') : t('forum.ledger.empty'))} />
        {entries.length > 0 && (
          <ol className="ledger-list" ref={list}>
            {entries.map((e) => (
              <EntryView key={e.seq} entry={e} slug={slug} />
            ))}
          </ol>
        )}
        {/* After "Load more", the keyboard continues at the first new entry. */}
        <LoadMore pages={ledger} label={t('forum.ledger.loadMore')} count={entries.length} listRef={list} focusSelector=".ledger-entry .entry-title" />
      </section>
    </div>
  );
}

/** Hash shows a hash shortened, the whole of it in its title and in a button that copies it. */
export function Hash({ value }: { value: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <span className="hash">
      <code title={value}>{shortHash(value)}</code>{' '}
      <button
        type="button"
        className="link-button"
        aria-label={t('forum.ledger.copyHash', { hash: shortHash(value) })}
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {t('forum.ledger.copy')}
      </button>
      <span role="status" className="copy-status">
        {copied ? t('forum.ledger.copied') : ''}
      </span>
    </span>
  );
}

function CheckpointBox({ checkpoint: c, valid }: { checkpoint: Checkpoint; valid: boolean | null }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="checkpoint">
      <h3>{t('forum.ledger.checkpoint')}</h3>
      <dl className="facts">
        <dt>{t('forum.ledger.seq')}</dt>
        <dd>{c.seq}</dd>
        <dt>{t('forum.ledger.hash')}</dt>
        <dd>
          <Hash value={c.hash} />
        </dd>
        <dt>{t('forum.ledger.signedAt')}</dt>
        <dd>
          <time dateTime={c.signed_at}>{formatDateTime(c.signed_at, i18n.language)}</time>
        </dd>
        <dt>{t('forum.ledger.keyId')}</dt>
        <dd>
          <code>{c.key_id}</code>
        </dd>
        <dt>{t('forum.ledger.signature')}</dt>
        <dd>{valid === true ? t('forum.ledger.signatureValid') : valid === false ? t('forum.ledger.signatureInvalid') : t('forum.ledger.signatureUnchecked')}</dd>
      </dl>
    </div>
  );
}

function memberText(t: T, m: LedgerMember): string {
  return [t('forum.memberRef', { ref: m.member }), seatName(t, m.seat), m.organisation].join(' · ');
}

/** RuleChangeView is an entry recording that the forum changed its decision rule. */
function RuleChangeView({ entry, fields: f }: { entry: LedgerEntry; fields: LedgerRuleChange }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const recorded = Number.isNaN(Date.parse(f.recorded_at)) ? f.recorded_at : formatDateTime(f.recorded_at, i18n.language);
  return (
    <li className="ledger-entry">
      <article aria-labelledby={headingId}>
        <h3 id={headingId} className="entry-title" tabIndex={-1}>
          {t('forumRules.ledger.ruleChangeTitle', { seq: entry.seq, rule: ruleName(t, f.rule.name) })}
        </h3>
        <p className="entry-meta">
          <time dateTime={f.recorded_at}>{recorded}</time>
        </p>
        <p>{t('forumRules.ledger.ruleChangeNow', { rule: ruleText(t, f.rule) })}</p>
        <p>{t('forumRules.ledger.ruleChangeBefore', { rule: ruleName(t, f.previous.name) })}</p>
        <p className="entry-hash">
          {t('forum.ledger.hash')}: <Hash value={entry.hash} />
        </p>
      </article>
    </li>
  );
}

/** ReportEntryView is a close-out report's entry: its number, scope and the hash of its content. */
function ReportEntryView({ entry, f, slug }: { entry: LedgerEntry; f: ReportEntryFields; slug: string }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const recorded = Number.isNaN(Date.parse(f.recorded_at)) ? f.recorded_at : formatDateTime(f.recorded_at, i18n.language);
  return (
    <li className="ledger-entry">
      <article aria-labelledby={headingId}>
        <h3 id={headingId} className="entry-title" tabIndex={-1}>
          {t('forum.ledger.reportTitle', { seq: entry.seq, number: f.report })}
        </h3>
        <p className="entry-meta">
          <time dateTime={f.recorded_at}>{recorded}</time> ·{' '}
          <Link to={`/processes/${encodeURIComponent(slug)}/reports/${f.report}`}>{t('forum.ledger.readReport', { number: f.report })}</Link>
        </p>
        {f.supersedes != null && <p className="notice-box">{t('forum.ledger.reportSupersedes', { number: f.supersedes })}</p>}
        <p className="entry-hash">
          {t('forum.ledger.reportContentHash')}: <Hash value={f.content_sha256} />
        </p>
        <p className="entry-hash">
          {t('forum.ledger.hash')}: <Hash value={entry.hash} />
        </p>
      </article>
    </li>
  );
}

/** EntryView is one entry of the ledger, as hashed, whatever its kind. */
function EntryView({ entry, slug }: { entry: LedgerEntry; slug: string }) {
  const f = entry.fields;
  if (isRuleChange(f)) return <RuleChangeView entry={entry} fields={f} />;
  if (isProgressEntry(f)) return <ProgressEntryView entry={entry} f={f} slug={slug} />;
  if (isReportEntry(f)) return <ReportEntryView entry={entry} f={f} slug={slug} />;
  return <ResponseEntryView entry={entry} f={f} slug={slug} />;
}

/** ResponseEntryView is a response's entry: what was decided, why, on what, by whom. */
function ResponseEntryView({ entry, f, slug }: { entry: LedgerEntry; f: ResponseEntryFields; slug: string }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const rendered = responseRendered(entry.rendered);
  const recorded = Number.isNaN(Date.parse(f.recorded_at)) ? f.recorded_at : formatDateTime(f.recorded_at, i18n.language);
  return (
    <li className="ledger-entry">
      <article aria-labelledby={headingId}>
        <h3 id={headingId} className="entry-title" tabIndex={-1}>
          {t('forum.ledger.entryTitle', { seq: entry.seq, disposition: dispositionName(t, f.disposition) })}
        </h3>
        <p className="entry-meta">
          <time dateTime={f.recorded_at}>{recorded}</time> · <Link to={`/responses/${f.response}`}>{t('forum.ledger.readResponse', { seq: entry.seq })}</Link>
        </p>
        {f.supersedes != null && (
          <p className="notice-box">
            {t('forum.ledger.corrects', { seq: f.supersedes })}
            {f.correction_reason && ` ${t('forum.ledger.correctionReason', { reason: f.correction_reason })}`}
          </p>
        )}
        {rendered ? (
          // reasoning_html is the entry's Markdown rendered and sanitised by the server.
          <div className="entry-reasoning user-text" dangerouslySetInnerHTML={{ __html: rendered.reasoning_html }} />
        ) : (
          <div className="preserve entry-reasoning">{f.reasoning}</div>
        )}
        {f.led_to && <p>{t('forum.ledger.ledTo', { text: f.led_to })}</p>}
        {f.rule && <p>{t('forumRules.ledger.decidedUnder', { rule: ruleName(t, f.rule.name) })}</p>}
        <h4>{t('forum.ledger.covers')}</h4>
        <ul className="cover-list">
          {/* A cluster is listed once, with its title, from the entry's clusters. */}
          {f.covers.filter((c) => !f.clusters.some((cl) => `cluster:${cl.id}` === c)).map((c) => (
            <li key={c}>
              <LedgerCover text={c} slug={slug} cover={rendered?.covers.find((x) => coverKey(x) === c)} />
            </li>
          ))}
          {f.clusters.map((c) => (
            <li key={`cluster-${c.id}`}>
              <Link to={`/clusters/${c.id}`}>{t('forum.ledger.cluster', { title: c.title, count: c.members.length })}</Link>
            </li>
          ))}
        </ul>
        <h4>{t('forum.ledger.signers')}</h4>
        <ul>
          {f.signers.map((m) => (
            <li key={m.member}>{memberText(t, m)}</li>
          ))}
        </ul>
        {f.dissents.length > 0 && (
          <>
            <h4>{t('forum.ledger.dissents')}</h4>
            <ul>
              {f.dissents.map((m) => (
                <li key={m.member}>
                  <p>{memberText(t, m)}</p>
                  {m.note && <blockquote className="preserve">{m.note}</blockquote>}
                </li>
              ))}
            </ul>
          </>
        )}
        {f.recusals && f.recusals.length > 0 && (
          <>
            <h4>{t('forum.response.recusals')}</h4>
            <ul>
              {f.recusals.map((m) => (
                <li key={m.member}>
                  <p>{memberText(t, m)}</p>
                  {m.note && <blockquote className="preserve">{m.note}</blockquote>}
                </li>
              ))}
            </ul>
          </>
        )}
        <p className="entry-hash">
          {t('forum.ledger.hash')}: <Hash value={entry.hash} />
        </p>
      </article>
    </li>
  );
}

/** LedgerCover is a cover an entry records: as the server resolved it (a link, and the text while it is public), else by its name. */
function LedgerCover({ text, slug, cover }: { text: string; slug: string; cover?: Cover }) {
  const { t } = useTranslation();
  if (cover) return <CoverItem cover={cover} slug={slug} />;
  const c = ledgerCover(text);
  if (c.kind === 'idea' && c.id != null) return <Link to={`/processes/${slug}/ideas/${c.id}`}>{t('forum.cover.idea', { id: c.id })}</Link>;
  if (c.kind === 'cluster' && c.id != null) return <Link to={`/clusters/${c.id}`}>{t('forum.cover.cluster', { id: c.id })}</Link>;
  if (c.kind === 'comment' && c.id != null) return <>{t('forum.cover.comment', { id: c.id })}</>;
  if (c.kind === 'paragraph' && c.documentId != null) return <Link to={paragraphHref(c.documentId, c.key ?? null)}>{t('forum.cover.paragraph', { key: c.key })}</Link>;
  return <code>{text}</code>;
}

/** ProgressEntryView is a commitment's progress update as its entry records it: progress, milestones, delays, next steps, signers. */
function ProgressEntryView({ entry, f, slug }: { entry: LedgerEntry; f: ProgressEntryFields; slug: string }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const rendered = progressRendered(entry.rendered);
  const recorded = Number.isNaN(Date.parse(f.recorded_at)) ? f.recorded_at : formatDateTime(f.recorded_at, i18n.language);
  return (
    <li className="ledger-entry">
      <article aria-labelledby={headingId}>
        <h3 id={headingId} className="entry-title" tabIndex={-1}>
          {t('commitments.ledger.entryTitle', { seq: entry.seq, title: f.commitment_title })}
        </h3>
        <p className="entry-meta">
          <time dateTime={f.recorded_at}>{recorded}</time> · {t(`commitments.updateKind.${f.update_kind}`)} ·{' '}
          <Link to={`/progress-updates/${f.update}`}>{t('commitments.ledger.readUpdate', { seq: entry.seq })}</Link> ·{' '}
          <Link to={`/processes/${slug}/commitments/${f.commitment}`}>{t('commitments.ledger.readCommitment')}</Link>
        </p>
        {f.supersedes != null && (
          <p className="notice-box">
            {t('forum.ledger.corrects', { seq: f.supersedes })}
            {f.correction_reason && ` ${t('forum.ledger.correctionReason', { reason: f.correction_reason })}`}
          </p>
        )}
        {rendered ? (
          // The *_html texts are the entry's Markdown rendered and sanitised by the server.
          <div className="entry-reasoning user-text" dangerouslySetInnerHTML={{ __html: rendered.progress_html }} />
        ) : (
          <div className="preserve entry-reasoning">{f.progress}</div>
        )}
        <h4>{t('commitments.update.milestones')}</h4>
        <ul>
          {f.milestones.map((m) => (
            <li key={m.milestone}>
              {m.title}: {t(`commitments.milestoneState.${m.state}`)}
              {m.completed_on && ` (${m.completed_on})`}
            </li>
          ))}
        </ul>
        {f.delay_reasons && (
          <>
            <h4>{t('commitments.update.delay')}</h4>
            {rendered ? <div className="user-text" dangerouslySetInnerHTML={{ __html: rendered.delay_reasons_html }} /> : <div className="preserve">{f.delay_reasons}</div>}
          </>
        )}
        <h4>{t('commitments.update.next')}</h4>
        {rendered ? <div className="user-text" dangerouslySetInnerHTML={{ __html: rendered.next_steps_html }} /> : <div className="preserve">{f.next_steps}</div>}
        {f.signers.length > 0 && (
          <>
            <h4>{t('forum.ledger.signers')}</h4>
            <ul>
              {f.signers.map((m) => (
                <li key={m.member}>{memberText(t, m)}</li>
              ))}
            </ul>
          </>
        )}
        {f.dissents.length > 0 && (
          <>
            <h4>{t('forum.ledger.dissents')}</h4>
            <ul>
              {f.dissents.map((m) => (
                <li key={m.member}>
                  <p>{memberText(t, m)}</p>
                  {m.note && <blockquote className="preserve">{m.note}</blockquote>}
                </li>
              ))}
            </ul>
          </>
        )}
        <p className="entry-hash">
          {t('forum.ledger.hash')}: <Hash value={entry.hash} />
        </p>
      </article>
    </li>
  );
}
