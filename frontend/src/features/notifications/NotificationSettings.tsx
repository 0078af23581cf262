import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, SelectField, SubmitButton } from '../../components/form';
import { QueryState } from '../../components/status';
import { handleSubmit } from '../../lib/forms';
import { useAccount } from '../../lib/useAccount';
import { frequencies, kinds, useNotificationSettings, useSaveNotificationSettings, type Frequency, type NotificationKind } from './queries';

/** NotificationSettings lets a person choose, per kind, how notifications come by e-mail. */
export function NotificationSettings() {
  const { t } = useTranslation();
  const account = useAccount();
  const settings = useNotificationSettings(account?.id);
  return (
    <section aria-labelledby="notification-settings-heading">
      <h2 id="notification-settings-heading" tabIndex={-1}>
        {t('notifications.settingsTitle')}
      </h2>
      <p>{t('notifications.settingsIntro')}</p>
      <QueryState query={settings} />
      {settings.data && <SettingsForm initial={settings.data} account={account?.id} />}
    </section>
  );
}

function SettingsForm({ initial, account }: { initial: Partial<Record<NotificationKind, Frequency>>; account: number | undefined }) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState(initial);
  const save = useSaveNotificationSettings(account);
  const options = frequencies.map((f) => ({ value: f, label: t(`notifications.frequency.${f}`) }));
  return (
    <form onSubmit={handleSubmit(() => save.mutate(choice))} noValidate>
      <ErrorSummary error={save.error} />
      {kinds.map((k) => (
        <SelectField
          key={k}
          name={`notify-${k}`}
          label={t(`notifications.kinds.${k}`)}
          value={choice[k] ?? 'immediately'}
          onChange={(v) => setChoice({ ...choice, [k]: v as Frequency })}
          options={options}
        />
      ))}
      <SubmitButton pending={save.isPending}>{t('notifications.save')}</SubmitButton>
      <p role="status" aria-live="polite">
        {save.isSuccess ? t('notifications.saved') : ''}
      </p>
    </form>
  );
}
