import type { KeyboardEvent, ReactNode } from 'react';

const focusable =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Tab and Shift+Tab go round the dialog's own controls: aria-modal says nothing behind it is reachable. */
function trapFocus(e: KeyboardEvent<HTMLElement>): void {
  if (e.key !== 'Tab') return;
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>(focusable)];
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) return;
  if (e.shiftKey && document.activeElement === first) {
    last.focus();
    e.preventDefault();
  } else if (!e.shiftKey && document.activeElement === last) {
    first.focus();
    e.preventDefault();
  }
}

interface ModalProps {
  testId: string;
  /** 'alertdialog' for a decision the operator must make (a write, a host key, a dangerous send). */
  role?: 'dialog' | 'alertdialog';
  /** The heading, with the id the dialog is labelled by. */
  title?: { id: string; text: ReactNode; level?: 2 | 3 };
  /** The accessible name when the dialog has no heading (the palette's input is its heading). */
  label?: string;
  describedBy?: string;
  /** Classes of the dialog box ('modal' plus a variant unless it has its own look). */
  className?: string;
  /** Escape inside the dialog: the safe way out (roll back, close, cancel). */
  onEscape?(): void;
  /** A click on the backdrop, outside the box: only for sheets that lose nothing by closing. */
  onBackdropClick?(): void;
  /** Makes the box a form: Enter in a field submits it. */
  onSubmit?(): void;
  /** Buttons at the bottom, in the dialog's `.actions` row. */
  actions?: ReactNode;
  children?: ReactNode;
}

/** The one dialog scaffold: backdrop, role and labels, Escape, focus kept inside, title and actions. */
export function Modal(props: ModalProps) {
  const { title, onEscape, onSubmit } = props;
  const Heading = title?.level === 3 ? 'h3' : 'h2';
  const box = {
    className: props.className ?? 'modal',
    role: props.role ?? 'dialog',
    'aria-modal': true,
    'aria-labelledby': title?.id,
    'aria-label': props.label,
    'aria-describedby': props.describedBy,
    'data-testid': props.testId,
    onClick: props.onBackdropClick ? (e: { stopPropagation(): void }) => e.stopPropagation() : undefined,
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      if (e.key === 'Escape' && onEscape) onEscape();
      trapFocus(e);
    },
  };
  const content = (
    <>
      {title && <Heading id={title.id}>{title.text}</Heading>}
      {props.children}
      {props.actions && <div className="actions">{props.actions}</div>}
    </>
  );
  return (
    <div className="modal-backdrop" onClick={props.onBackdropClick}>
      {onSubmit ? (
        <form
          {...box}
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit();
          }}
        >
          {content}
        </form>
      ) : (
        <div {...box}>{content}</div>
      )}
    </div>
  );
}
