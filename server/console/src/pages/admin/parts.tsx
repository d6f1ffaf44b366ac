// Pieces the admin pages share: the back link to Administration, a secret shown once with a copy
// button, a confirmation step, the hub's field issues named by their labels, and role words.
import { useState, type ReactNode } from 'react';
import type { HubForm } from '../../components/form.js';
import { BackLink, Button, WarningText } from '../../components/govuk.js';
import { Link } from '../../navigation.js';
import { hubErrorOf } from '../../trpc.js';
import { ROLE_NAMES, type Role } from '../../session.js';

export const AdminBack = () => <BackLink to="/admin">Back to administration</BackLink>;

/** The roles an admin may give, with what each may do. */
export const ROLE_OPTIONS: { value: Role; label: string; hint: string }[] = [
  {
    value: 'viewer',
    label: 'Viewer',
    hint: 'Reads settings and their records at the layer the authority may see.',
  },
  {
    value: 'officer',
    label: 'Officer',
    hint: 'Also writes outcomes, restrictions and concerns, and declares placements.',
  },
  {
    value: 'admin',
    label: 'Authority admin',
    hint: 'Also manages people, API clients, webhooks and sign-in settings.',
  },
];

export const roleName = (role: Role): string => {
  const words = ROLE_NAMES[role];
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * The hub's field issues with the field's label in front ("Email address must be an e-mail
 * address"), so each reads as a sentence in the error summary; any other refusal as the hub said it.
 */
export const failLabelled =
  <V extends object>(form: HubForm<V>, labels: Record<string, string>) =>
  (error: unknown): void => {
    const problem = hubErrorOf(error);
    if (problem.issues.length === 0) return form.fail(error);
    form.failWith(
      problem.issues.map((issue) => {
        const field = Object.keys(labels)
          .filter((f) => issue.path === f || issue.path.startsWith(`${f}.`))
          .sort((a, b) => b.length - a.length)[0];
        return { path: issue.path, message: field ? `${labels[field]} ${issue.message}` : issue.message };
      }),
    );
  };

/**
 * A value to copy once (an invitation link, a client secret): in a read-only field with its own label,
 * and a button that puts it on the clipboard (the field can be selected by hand as well).
 */
export const CopyableText = ({
  id,
  label,
  value,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  hint?: ReactNode;
}) => {
  const [copied, setCopied] = useState(false);
  return (
    <div className="govuk-form-group">
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div id={`${id}-hint`} className="govuk-hint">
          {hint}
        </div>
      ) : null}
      <input
        id={id}
        className="govuk-input govuk-input--extra-letter-spacing"
        type="text"
        readOnly
        value={value}
        spellCheck={false}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onFocus={(e) => e.target.select()}
        data-testid={id}
      />
      <div className="govuk-button-group govuk-!-margin-top-2 govuk-!-margin-bottom-0">
        <Button
          type="button"
          kind="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          Copy<span className="govuk-visually-hidden"> {label.toLowerCase()}</span>
        </Button>
        <span className="govuk-body govuk-!-margin-bottom-0" role="status">
          {copied ? 'Copied.' : ''}
        </span>
      </div>
    </div>
  );
};

/** A question asked before something that cannot be undone: the page's heading, a warning, two buttons. */
export const Confirm = ({
  heading,
  warning,
  children,
  confirmText,
  onConfirm,
  onCancel,
  busy,
  problem,
}: {
  heading: string;
  warning: ReactNode;
  children?: ReactNode;
  confirmText: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  problem?: ReactNode;
}) => (
  <div className="govuk-grid-row">
    <div className="govuk-grid-column-two-thirds">
      {problem}
      <h1 className="govuk-heading-l">{heading}</h1>
      {children}
      <WarningText>{warning}</WarningText>
      <div className="govuk-button-group">
        <Button kind="warning" type="button" onClick={onConfirm} disabled={busy}>
          {confirmText}
        </Button>
        <Link
          to="#"
          onClick={(e) => {
            e.preventDefault();
            onCancel();
          }}
        >
          Cancel
        </Link>
      </div>
    </div>
  </div>
);

/** A key for one attempt of a write, so a retried submit is not done twice. */
export const newKey = (): string => crypto.randomUUID();
