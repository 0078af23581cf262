import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog';

/** ShortcutHelp lists the console's keyboard shortcuts, in a dialog. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog
      title={t('moderation.help.title')}
      onClose={onClose}
      footer={
        <button type="button" onClick={onClose}>
          {t('moderation.help.close')}
        </button>
      }
    >
      <p>{t('moderation.help.intro')}</p>
      <table className="shortcut-table">
        <thead>
          <tr>
            <th scope="col">{t('moderation.help.key')}</th>
            <th scope="col">{t('moderation.help.action')}</th>
          </tr>
        </thead>
        <tbody>
          {(['j', 'k', 'a', 'r', 'e', '?'] as const).map((k) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{t(`moderation.help.keys.${k === '?' ? 'help' : k}`)}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>Enter</kbd>
            </td>
            <td>{t('moderation.help.keys.enter')}</td>
          </tr>
          <tr>
            <td>
              <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
            </td>
            <td>{t('moderation.help.keys.ctrlEnter')}</td>
          </tr>
          <tr>
            <td>
              <kbd>Escape</kbd>
            </td>
            <td>{t('moderation.help.keys.escape')}</td>
          </tr>
        </tbody>
      </table>
    </Dialog>
  );
}
