import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, SubmitButton } from '../../components/form';
import { errorText, QueryState } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { shortHash } from './format';
import { parseKept, useLedgerConsistency, useLedgerKeys, validHash, type KeptHead, type LedgerConsistency } from './ledgerTrust';
import { useLedgerVerification } from './queries';

type T = (key: string, opts?: Record<string, unknown>) => string;

/**
 * LedgerTrust is what lets a reader trust the ledger without trusting the
 * site: how its checkpoints fared against the published keys, the keys to
 * pin, and a check that today's ledger extends a checkpoint they kept.
 */
export function LedgerTrust({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section className="ledger-trust" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('ledgerTrust.title')}</h2>
      <CheckpointReport slug={slug} />
      <PublishedKeys />
      <KeptCheckpointCheck slug={slug} />
    </section>
  );
}

/** CheckpointReport says how many of the ledger's checkpoints verify against the published keys, and why the others fail. */
function CheckpointReport({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const v = useLedgerVerification(slug).data;
  if (!v || v.checkpoints === 0) return null;
  if (v.checkpoints_failed === 0) return <p className="verify-ok">{t('ledgerTrust.checkpointsValid', { count: v.checkpoints })}</p>;
  const more = v.checkpoints_failed - v.checkpoint_problems.length;
  return (
    <div>
      <p className="verify-broken">{t('ledgerTrust.checkpointsFailed', { count: v.checkpoints, failed: v.checkpoints_failed })}</p>
      <ul>
        {v.checkpoint_problems.map((p) => (
          <li key={p.seq}>
            {t('ledgerTrust.problem', { seq: p.seq, key: p.key_id, reason: t(`ledgerTrust.reason.${p.reason}`) })}
          </li>
        ))}
      </ul>
      {more > 0 && <p>{t('ledgerTrust.moreProblems', { count: more })}</p>}
    </div>
  );
}

/** PublishedKeys lists the keys whose checkpoints count, with a download to pin them. */
function PublishedKeys() {
  const { t, i18n } = useTranslation();
  const keys = useLedgerKeys();
  const headingId = useId();
  const when = (iso: string) => <time dateTime={iso}>{formatDateTime(iso, i18n.language)}</time>;
  return (
    <div aria-labelledby={headingId} role="group">
      <h3 id={headingId}>{t('ledgerTrust.keysTitle')}</h3>
      <p>{t('ledgerTrust.keysIntro')}</p>
      <p>
        <a href="/api/v1/ledger/keys" download="ledger-keys.json">
          {t('ledgerTrust.keysDownload')}
        </a>
      </p>
      <QueryState query={keys} empty={keys.data?.length === 0 ? t('ledgerTrust.noKeys') : undefined} />
      {keys.data && keys.data.length > 0 && (
        <ul className="key-list">
          {keys.data.map((k) => (
            <li key={k.key_id}>
              <dl className="facts">
                <dt>{t('ledgerTrust.keyId')}</dt>
                <dd>
                  <code>{k.key_id}</code> ({t(`ledgerTrust.status.${k.status}`)})
                </dd>
                <dt>{t('ledgerTrust.validFrom')}</dt>
                <dd>{k.valid_from ? when(k.valid_from) : t('ledgerTrust.sinceTheBeginning')}</dd>
                <dt>{t('ledgerTrust.validUntil')}</dt>
                <dd>{k.valid_until ? when(k.valid_until) : t('ledgerTrust.stillInUse')}</dd>
                <dt>{t('ledgerTrust.publicKey')}</dt>
                <dd>
                  <code>{k.public_key}</code>
                </dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** consistencyText says, in one sentence, whether today's ledger extends the kept head. */
export function consistencyText(t: T, c: LedgerConsistency): string {
  switch (c.reason) {
    case 'extends':
      return t('ledgerTrust.extends', { seq: c.seq });
    case 'missing':
      return t('ledgerTrust.missing', { seq: c.seq, head: c.head_seq });
    case 'different_hash':
      return t('ledgerTrust.different', { seq: c.seq, hash: shortHash(c.recorded_hash ?? '') });
    default:
      return t('ledgerTrust.chainBroken', { seq: c.seq, broken: c.first_broken_seq ?? '?' });
  }
}

/** KeptCheckpointCheck lets a person enter a seq and hash they kept and see whether today's ledger extends it. */
export function KeptCheckpointCheck({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const headingId = useId();
  const form = useRef<HTMLFormElement>(null);
  const [seq, setSeq] = useState('');
  const [hash, setHash] = useState('');
  const [errors, setErrors] = useState<{ seq?: { code: string }; hash?: { code: string } }>({});
  const [kept, setKept] = useState<KeptHead | null>(null);
  const check = useLedgerConsistency(slug, kept);

  // After a refused submit, the keyboard lands on the first field to fix.
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = /^\d+$/.test(seq.trim()) ? Number(seq.trim()) : NaN;
    const h = hash.trim().toLowerCase();
    const next: typeof errors = {};
    if (!Number.isSafeInteger(n) || n < 1) next.seq = { code: 'number' };
    if (!validHash(h)) next.hash = { code: 'hash' };
    setErrors(next);
    if (next.seq || next.hash) return;
    if (kept && kept.seq === n && kept.hash === h) void check.refetch();
    else setKept({ seq: n, hash: h });
  };

  const busy = kept !== null && check.isFetching;
  const result = busy ? t('ledgerTrust.checking') : check.isError ? errorText(t, check.error) : check.data ? consistencyText(t, check.data) : '';
  const tone = !busy && check.data ? (check.data.extends ? 'verify-ok' : 'verify-broken') : undefined;
  return (
    <div role="group" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('ledgerTrust.checkTitle')}</h3>
      <p>{t('ledgerTrust.checkIntro')}</p>
      <form ref={form} className="kept-check" onSubmit={submit} noValidate>
        <Field name="seq" label={t('ledgerTrust.seq')} type="number" min={1} value={seq} onChange={setSeq} error={errors.seq} />
        <Field
          name="hash"
          label={t('ledgerTrust.hash')}
          hint={t('ledgerTrust.hashHint')}
          autoComplete="off"
          value={hash}
          error={errors.hash}
          onChange={(v) => {
            // A pasted checkpoint line fills both fields.
            const line = parseKept(v);
            if (line) {
              setSeq(String(line.seq));
              setHash(line.hash);
            } else setHash(v);
          }}
        />
        <SubmitButton pending={busy} ownProgress>
          {t('ledgerTrust.check')}
        </SubmitButton>
      </form>
      <p role="status" aria-live="polite" className={tone}>
        {result}
      </p>
    </div>
  );
}
