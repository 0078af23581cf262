import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ConfirmStep } from '../../components/ConfirmStep';
import { ErrorSummary, Field, SelectField, SubmitButton } from '../../components/form';
import { LoadMore } from '../../components/LoadMore';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { RadioGroup } from '../../components/RadioGroup';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { formatDate } from '../../lib/format';
import { fieldError, FormCheck, handleSubmit } from '../../lib/forms';
import { useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { useAnnouncer } from '../../lib/useAnnouncer';
import { organisationMax, useGrantRole, useRevokeRole, type GrantDraft } from './mutations';
import { roleOrder, seats, usePeopleSearch, useRoleHolders, type PersonFound, type ProcessRole, type RoleHolder } from './queries';

/**
 * RolesPage is where a process's owners and administrators name its
 * moderators, forum members and (administrators only) owners: find an
 * account, give it a role, and see and remove who holds which role, with who
 * granted it and when. /processes/:slug/roles
 */
export function RolesPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const process = useProcess(slug);
  const holders = useRoleHolders(slug, account != null);
  const [chosen, setChosen] = useState<PersonFound | null>(null);
  const [said, announce] = useAnnouncer();
  const status = useRef<HTMLParagraphElement>(null);
  const notFound = (process.error instanceof AppError && process.error.status === 404) || (holders.error instanceof AppError && holders.error.status === 404);
  useDocumentTitle(t('roles.title'), notFound);

  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  const forbidden = holders.error instanceof AppError && holders.error.status === 403;

  function done(text: string) {
    announce(text);
    setTimeout(() => status.current?.focus(), 0);
  }

  return (
    <div className="roles-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('roles.title')}</h1>
      {!account ? (
        <p>
          <Link to="/login" state={{ from: location.pathname }}>
            {t('roles.signIn')}
          </Link>
        </p>
      ) : forbidden ? (
        <p className="notice-box">{t('roles.forbidden')}</p>
      ) : holders.isPending ? (
        <Loading />
      ) : holders.isError ? (
        <ErrorMessage error={holders.error} />
      ) : (
        <>
          <p className="lead">{t('roles.intro')}</p>
          <p className="roles-status notice" role="status" aria-live="polite" tabIndex={-1} ref={status}>
            {said}
          </p>
          <FindPerson slug={slug} chosen={chosen} onChoose={setChosen} />
          {chosen && (
            <GrantForm
              key={chosen.user_id}
              slug={slug}
              person={chosen}
              admin={account.admin}
              onDone={(h) => {
                setChosen(null);
                done(t(`roles.grant.done.${h.role}`, { name: h.name }));
              }}
              onCancel={() => setChosen(null)}
            />
          )}
          <Holders slug={slug} holders={holders.data} admin={account.admin} onRemoved={(h) => done(t(`roles.holders.removed.${h.role}`, { name: h.name }))} />
        </>
      )}
    </div>
  );
}

/**
 * FindPerson searches accounts: an exact e-mail address finds that account,
 * other text lists accounts whose name contains it. The answer is announced
 * politely; each account found can be chosen for a role.
 */
function FindPerson({ slug, chosen, onChoose }: { slug: string; chosen: PersonFound | null; onChoose: (p: PersonFound) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [check, setCheck] = useState<FormCheck | null>(null);
  const found = usePeopleSearch(slug, query);
  const list = useRef<HTMLUListElement>(null);
  const headingId = useId();
  const people = found.data?.pages.flatMap((p) => p.items) ?? [];
  const byEmail = found.data?.pages[0]?.match === 'email';
  const error = check ?? (found.error instanceof AppError && found.error.status === 422 ? found.error : null);

  function search() {
    const q = text.trim();
    if (Array.from(q).length < 2) {
      setCheck(new FormCheck('request.invalid', [{ field: 'q', code: 'min', message: '' }]));
      return;
    }
    setCheck(null);
    if (q === query) void found.refetch();
    setQuery(q);
  }

  return (
    <section className="find-person" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('roles.find.title')}</h2>
      <form className="search-form" role="search" aria-labelledby={headingId} onSubmit={handleSubmit(search)} noValidate>
        <ErrorSummary error={error} />
        <Field
          name="q"
          type="search"
          label={t('roles.find.label')}
          hint={t('roles.find.hint')}
          autoComplete="off"
          value={text}
          maxLength={254}
          onChange={setText}
          error={fieldError(error, 'q')}
        />
        <div className="form-actions">
          <SubmitButton pending={found.isFetching && !found.isFetchingNextPage}>{t('roles.find.submit')}</SubmitButton>
        </div>
      </form>
      <div className="people-results" aria-live="polite">
        {query !== '' && found.isError && !(found.error instanceof AppError && found.error.status === 422) && <ErrorMessage error={found.error} />}
        {query !== '' && found.isPending && <Loading />}
        {query !== '' && found.isSuccess && (
          <>
            <p className="list-status">
              {people.length === 0
                ? t(byEmail ? 'roles.find.noneByEmail' : 'roles.find.noneByName', { text: query })
                : byEmail
                  ? t('roles.find.byEmail')
                  : t('roles.find.found', { count: people.length, text: query })}
            </p>
            {people.length > 0 && (
              <ul className="people-list" ref={list}>
                {people.map((p) => (
                  <li key={p.user_id} className="person-row">
                    <span className="person-name">{p.name}</span>
                    {p.roles.length > 0 && <span className="person-roles">{t('roles.find.holds', { roles: p.roles.map((r) => t(`roles.role.${r}`)).join(', ') })}</span>}
                    <button
                      type="button"
                      className="secondary"
                      aria-pressed={chosen?.user_id === p.user_id}
                      aria-label={t('roles.find.chooseLabel', { name: p.name })}
                      onClick={() => onChoose(p)}
                    >
                      {t('roles.find.choose')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <LoadMore pages={found} label={t('roles.find.more')} count={people.length} listRef={list} focusSelector="button" />
          </>
        )}
      </div>
    </section>
  );
}

/** GrantForm gives the chosen person a role: moderator, forum member with a seat, or (administrators) owner. */
function GrantForm({ slug, person, admin, onDone, onCancel }: {
  slug: string;
  person: PersonFound;
  admin: boolean;
  onDone: (h: RoleHolder) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<GrantDraft>({ role: '', seat: '', organisation: '' });
  const grant = useGrantRole(slug);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const roles: ProcessRole[] = admin ? ['moderator', 'forum_member', 'owner'] : ['moderator', 'forum_member'];
  const set = (patch: Partial<GrantDraft>) => setDraft({ ...draft, ...patch });

  return (
    <section className="grant-form" aria-labelledby="grant-heading">
      <h2 id="grant-heading" tabIndex={-1} ref={heading}>
        {t('roles.grant.title', { name: person.name })}
      </h2>
      <form onSubmit={handleSubmit(() => grant.mutate({ userId: person.user_id, draft }, { onSuccess: onDone }))} noValidate>
        <ErrorSummary error={grant.error} />
        <RadioGroup
          name="role"
          legend={t('roles.grant.role')}
          choices={roles.map((r) => ({ value: r, label: t(`roles.label.${r}`), hint: t(`roles.roleHint.${r}`) }))}
          value={draft.role}
          onChange={(role) => set({ role: role as ProcessRole })}
          error={fieldError(grant.error, 'role')}
        />
        {!admin && <p className="hint">{t('roles.grant.ownersByAdmin')}</p>}
        {draft.role === 'forum_member' && (
          <>
            <SelectField
              name="seat"
              label={t('roles.grant.seat')}
              value={draft.seat}
              options={[{ value: '', label: t('roles.grant.chooseSeat') }, ...seats.map((s) => ({ value: s, label: t(`roles.seat.${s}`) }))]}
              onChange={(seat) => set({ seat: seat as GrantDraft['seat'] })}
              error={fieldError(grant.error, 'seat')}
            />
            <Field
              name="organisation"
              label={t('roles.grant.organisation')}
              hint={t('roles.grant.organisationHint')}
              required={false}
              maxLength={organisationMax}
              value={draft.organisation}
              onChange={(organisation) => set({ organisation })}
              error={fieldError(grant.error, 'organisation')}
            />
          </>
        )}
        <p className="hint">{t('roles.grant.sessions')}</p>
        <div className="form-actions">
          <SubmitButton pending={grant.isPending}>{t('roles.grant.submit')}</SubmitButton>
          <button type="button" className="secondary" onClick={onCancel}>
            {t('roles.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Holders lists who holds each role, with who granted it and when, and lets the allowed remove it. */
function Holders({ slug, holders, admin, onRemoved }: { slug: string; holders: RoleHolder[]; admin: boolean; onRemoved: (h: RoleHolder) => void }) {
  const { t } = useTranslation();
  return (
    <section className="role-holders" aria-labelledby="holders-heading">
      <h2 id="holders-heading">{t('roles.holders.title')}</h2>
      {roleOrder.map((role) => {
        const list = holders.filter((h) => h.role === role);
        return (
          <section key={role} aria-labelledby={`holders-${role}`}>
            <h3 id={`holders-${role}`}>{t(`roles.plural.${role}`)}</h3>
            {list.length === 0 && <p className="list-status">{t('roles.holders.none')}</p>}
            {list.length > 0 && (
              <ul className="holder-list">
                {list.map((h) => (
                  <Holder key={`${h.user_id}-${h.role}`} slug={slug} holder={h} removable={h.role !== 'owner' || admin} onRemoved={onRemoved} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </section>
  );
}

function Holder({ slug, holder: h, removable, onRemoved }: { slug: string; holder: RoleHolder; removable: boolean; onRemoved: (h: RoleHolder) => void }) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const revoke = useRevokeRole(slug);
  const button = useRef<HTMLButtonElement>(null);
  const date = formatDate(h.granted_at, i18n.language);
  return (
    <li className="holder-row">
      <span className="person-name">{h.name}</span>
      {h.role === 'forum_member' && h.seat && (
        <span className="holder-seat">
          {h.organisation ? t('roles.holders.seatWithOrganisation', { seat: t(`roles.seat.${h.seat}`), organisation: h.organisation }) : t(`roles.seat.${h.seat}`)}
        </span>
      )}
      <span className="holder-granted">
        {h.granted_by ? t('roles.holders.grantedBy', { date, name: h.granted_by.name }) : t('roles.holders.grantedOn', { date })}
      </span>
      {removable && !confirming && (
        <button type="button" className="secondary" ref={button} aria-label={t('roles.holders.removeLabel', { name: h.name, role: t(`roles.role.${h.role}`) })} onClick={() => setConfirming(true)}>
          {t('roles.holders.remove')}
        </button>
      )}
      {confirming && (
        <ConfirmStep
          question={t('roles.holders.confirm', { name: h.name, role: t(`roles.role.${h.role}`) })}
          confirmLabel={t('roles.holders.confirmYes')}
          cancelLabel={t('roles.cancel')}
          pending={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate({ userId: h.user_id, role: h.role }, { onSuccess: () => onRemoved(h) })}
          onCancel={() => {
            setConfirming(false);
            setTimeout(() => button.current?.focus(), 0);
          }}
        />
      )}
    </li>
  );
}
