import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import type { Process } from '../../api/client';
import { ErrorSummary, Field, SubmitButton, TextAreaField } from '../../components/form';
import { RadioGroup } from '../../components/RadioGroup';
import { fieldError, handleSubmit } from '../../lib/forms';
import { iap2Levels, type Mandate } from '../../lib/process';
import { useFocusAfterRender } from '../../lib/useFocusAfterRender';
import { ManageFrame } from './ManageFrame';
import { useSaveMandate, type MandateInput } from './mutations';

/** MandatePage lets owners write the engagement mandate the public reads first: /processes/:slug/mandate. */
export function MandatePage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  return (
    <ManageFrame slug={slug} title={t('manage.mandate.title')}>
      {(p) => (
        <>
          <p>{t('manage.mandate.intro')}</p>
          <MandateForm process={p} />
        </>
      )}
    </ManageFrame>
  );
}

let nextKey = 0;
const newKey = () => `r${++nextKey}`;

interface ItemRow {
  key: string;
  text: string;
}

interface PointRow {
  key: string;
  label: string;
  date: string;
}

const itemRows = (items: string[]): ItemRow[] => items.map((text) => ({ key: newKey(), text }));
const pointRows = (m: Mandate): PointRow[] => m.decision_points.map((dp) => ({ key: newKey(), label: dp.label, date: dp.date }));

function MandateForm({ process }: { process: Process }) {
  const { t } = useTranslation();
  const m = process.mandate as Mandate;
  const save = useSaveMandate(process);
  const [updatedAt, setUpdatedAt] = useState(m.updated_at);
  const [purpose, setPurpose] = useState(m.purpose);
  const [openItems, setOpenItems] = useState(() => itemRows(m.open_items));
  const [fixedItems, setFixedItems] = useState(() => itemRows(m.fixed_items));
  const [useOfInput, setUseOfInput] = useState(m.use_of_input);
  const [decisionMaker, setDecisionMaker] = useState(m.decision_maker);
  const [points, setPoints] = useState(() => pointRows(m));
  const [level, setLevel] = useState<string>(m.iap2_level ?? '');
  const [contactName, setContactName] = useState(m.contact_name);
  const [contactEmail, setContactEmail] = useState(m.contact_email);
  const [privacy, setPrivacy] = useState(m.privacy_notice);
  const [missing, setMissing] = useState<string[] | null>(null);
  const error = save.error;

  function send() {
    setMissing(null);
    const body: MandateInput = {
      purpose,
      open_items: openItems.map((r) => r.text),
      fixed_items: fixedItems.map((r) => r.text),
      use_of_input: useOfInput,
      decision_maker: decisionMaker,
      decision_points: points.map((r) => ({ label: r.label, date: r.date })),
      iap2_level: level === '' ? null : (level as MandateInput['iap2_level']),
      contact_name: contactName,
      contact_email: contactEmail,
      privacy_notice: privacy,
      updated_at: updatedAt,
    };
    save.mutate(body, {
      onSuccess: (saved) => {
        setUpdatedAt(saved.updated_at);
        // The decision points come back in date order.
        setPoints(pointRows(saved));
        setMissing(saved.missing);
      },
    });
  }

  const e = (name: string) => fieldError(error, name);
  return (
    <form className="settings-form mandate-form" onSubmit={handleSubmit(send)} noValidate>
      <ErrorSummary error={error} />
      <fieldset id="mandate-purpose">
        <legend>{t('mandate.purpose')}</legend>
        <TextAreaField name="purpose" label={t('manage.mandate.purpose')} hint={t('manage.mandate.purposeHint')} required={false} rows={5} value={purpose} onChange={setPurpose} error={e('purpose')} />
      </fieldset>
      <div id="mandate-iap2_level">
        <RadioGroup
          name="iap2_level"
          legend={t('manage.mandate.level')}
          value={level}
          onChange={setLevel}
          error={e('iap2_level')}
          choices={[
            { value: '', label: t('manage.mandate.levelNone') },
            ...iap2Levels.map((l) => ({ value: l, label: t(`mandate.levels.${l}.name`), hint: t(`mandate.levels.${l}.promise`) })),
          ]}
        />
      </div>
      <ItemList
        id="mandate-open_items"
        name="open_items"
        legend={t('mandate.open')}
        hint={t('manage.mandate.openHint')}
        itemLabel={(n) => t('manage.mandate.openItem', { n })}
        addLabel={t('manage.mandate.addOpen')}
        rows={openItems}
        setRows={setOpenItems}
        error={error}
      />
      <ItemList
        id="mandate-fixed_items"
        name="fixed_items"
        legend={t('mandate.fixed')}
        hint={t('manage.mandate.fixedHint')}
        itemLabel={(n) => t('manage.mandate.fixedItem', { n })}
        addLabel={t('manage.mandate.addFixed')}
        rows={fixedItems}
        setRows={setFixedItems}
        error={error}
      />
      <fieldset id="mandate-use_of_input">
        <legend>{t('manage.mandate.decisions')}</legend>
        <TextAreaField name="use_of_input" label={t('mandate.useOfInput')} hint={t('manage.mandate.useOfInputHint')} required={false} rows={4} value={useOfInput} onChange={setUseOfInput} error={e('use_of_input')} />
        <div id="mandate-decision_maker">
          <Field name="decision_maker" label={t('mandate.decisionMaker')} hint={t('manage.mandate.decisionMakerHint')} required={false} maxLength={300} value={decisionMaker} onChange={setDecisionMaker} error={e('decision_maker')} />
        </div>
        <DecisionPoints rows={points} setRows={setPoints} error={error} />
      </fieldset>
      <fieldset id="mandate-contact_name">
        <legend>{t('mandate.contact')}</legend>
        <Field name="contact_name" label={t('manage.mandate.contactName')} hint={t('manage.mandate.contactNameHint')} required={false} maxLength={200} value={contactName} onChange={setContactName} error={e('contact_name')} />
        <div id="mandate-contact_email">
          <Field name="contact_email" type="email" autoComplete="off" label={t('manage.mandate.contactEmail')} hint={t('manage.mandate.contactEmailHint')} required={false} maxLength={254} value={contactEmail} onChange={setContactEmail} error={e('contact_email')} />
        </div>
      </fieldset>
      <fieldset id="mandate-privacy_notice">
        <legend>{t('mandate.privacy')}</legend>
        <TextAreaField name="privacy_notice" label={t('manage.mandate.privacy')} hint={t('manage.mandate.privacyHint')} required={false} rows={6} value={privacy} onChange={setPrivacy} error={e('privacy_notice')} />
      </fieldset>
      <div className="form-actions">
        <SubmitButton pending={save.isPending}>{t('manage.mandate.submit')}</SubmitButton>
      </div>
      {missing && (
        <div role="status">
          <p>{t('manage.mandate.saved')}</p>
          {missing.length > 0 && <p>{t('manage.mandate.stillEmpty', { parts: missing.map((part) => t(`mandate.parts.${part}`)).join(', ') })}</p>}
          <p>
            <Link to={`/processes/${process.slug}`}>{t('manage.mandate.see')}</Link>
          </p>
        </div>
      )}
    </form>
  );
}

/** ItemList edits a list of short texts, one field each, with add and remove. */
function ItemList({ id, name, legend, hint, itemLabel, addLabel, rows, setRows, error }: {
  id: string;
  name: string;
  legend: string;
  hint: string;
  itemLabel: (n: number) => string;
  addLabel: string;
  rows: ItemRow[];
  setRows: (f: (rows: ItemRow[]) => ItemRow[]) => void;
  error: unknown;
}) {
  const { t } = useTranslation();
  const list = useRef<HTMLOListElement>(null);
  const add = useRef<HTMLButtonElement>(null);
  const focusLater = useFocusAfterRender();
  const focusRow = (key: string) => focusLater(() => list.current?.querySelector<HTMLInputElement>(`[data-row="${key}"] input`) ?? add.current);
  const listError = fieldError(error, name);
  return (
    <fieldset id={id}>
      <legend>{legend}</legend>
      <p className="hint">{hint}</p>
      {listError && <p className="field-error">{t(`fieldErrors.${listError.code}`, { defaultValue: t('fieldErrors.invalid') })}</p>}
      <ol className="item-rows" ref={list}>
        {rows.map((r, i) => (
          <li key={r.key} data-row={r.key}>
            <Field
              name={`${name}[${i}]`}
              label={itemLabel(i + 1)}
              maxLength={500}
              value={r.text}
              onChange={(text) => setRows((rs) => rs.map((x) => (x.key === r.key ? { ...x, text } : x)))}
              error={fieldError(error, `${name}[${i}]`)}
            />
            <button
              type="button"
              className="secondary"
              onClick={() => {
                const after = rows[i + 1] ?? rows[i - 1];
                setRows((rs) => rs.filter((x) => x.key !== r.key));
                focusRow(after ? after.key : '');
              }}
            >
              {t('manage.mandate.remove', { item: itemLabel(i + 1) })}
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="secondary"
        ref={add}
        onClick={() => {
          const key = newKey();
          setRows((rs) => [...rs, { key, text: '' }]);
          focusRow(key);
        }}
      >
        {addLabel}
      </button>
    </fieldset>
  );
}

/** DecisionPoints edits the dated decision points. */
function DecisionPoints({ rows, setRows, error }: { rows: PointRow[]; setRows: (f: (rows: PointRow[]) => PointRow[]) => void; error: unknown }) {
  const { t } = useTranslation();
  const list = useRef<HTMLOListElement>(null);
  const add = useRef<HTMLButtonElement>(null);
  const focusLater = useFocusAfterRender();
  const focusRow = (key: string) => focusLater(() => list.current?.querySelector<HTMLInputElement>(`[data-row="${key}"] input`) ?? add.current);
  const change = (key: string, patch: Partial<PointRow>) => setRows((rs) => rs.map((x) => (x.key === key ? { ...x, ...patch } : x)));
  const listError = fieldError(error, 'decision_points');
  return (
    <fieldset id="mandate-decision_points">
      <legend>{t('mandate.decisionPoints')}</legend>
      <p className="hint">{t('manage.mandate.pointsHint')}</p>
      {listError && <p className="field-error">{t(`fieldErrors.${listError.code}`, { defaultValue: t('fieldErrors.invalid') })}</p>}
      <ol className="item-rows" ref={list}>
        {rows.map((r, i) => (
          <li key={r.key} data-row={r.key}>
            <fieldset>
              <legend>{r.label.trim() || t('manage.mandate.pointN', { n: i + 1 })}</legend>
              <Field name={`decision_points[${i}].label`} label={t('manage.mandate.pointLabel')} maxLength={200} value={r.label} onChange={(label) => change(r.key, { label })} error={fieldError(error, `decision_points[${i}].label`)} />
              <Field name={`decision_points[${i}].date`} type="date" label={t('manage.mandate.pointDate')} value={r.date} onChange={(date) => change(r.key, { date })} error={fieldError(error, `decision_points[${i}].date`)} />
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  const after = rows[i + 1] ?? rows[i - 1];
                  setRows((rs) => rs.filter((x) => x.key !== r.key));
                  focusRow(after ? after.key : '');
                }}
              >
                {t('manage.mandate.remove', { item: r.label.trim() || t('manage.mandate.pointN', { n: i + 1 }) })}
              </button>
            </fieldset>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="secondary"
        ref={add}
        onClick={() => {
          const key = newKey();
          setRows((rs) => [...rs, { key, label: '', date: '' }]);
          focusRow(key);
        }}
      >
        {t('manage.mandate.addPoint')}
      </button>
    </fieldset>
  );
}
