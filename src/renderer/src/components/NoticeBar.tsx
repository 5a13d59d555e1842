import { useApp } from '../store';

export function NoticeBar() {
  const notice = useApp((s) => s.notice);
  const noticeDismissed = useApp((s) => s.noticeDismissed);
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.kind}`} role="alert" data-testid="notice">
      <span>{notice.message}</span>
      <button onClick={noticeDismissed} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
