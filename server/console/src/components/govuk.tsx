// GOV.UK Frontend's components as React elements: the markup its documentation gives, its classes
// unchanged. Only what the console uses; behaviour that GOV.UK's own JavaScript adds (focusing the
// error summary and banners) is done here in React.
import { useEffect, useId, useRef, type ChangeEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { Link } from '../navigation.js';
import { hubErrorOf, type FieldIssue } from '../trpc.js';

const cx = (...names: (string | false | null | undefined)[]) => names.filter(Boolean).join(' ');

/** A field's id from the hub's issue path: "findings.0.text" → "findings-0-text". */
export const fieldId = (path: string): string =>
  path === '(input)' ? 'form-top' : path.replace(/[^A-Za-z0-9_-]+/g, '-');

export const PageHeading = ({ caption, children }: { caption?: ReactNode; children: ReactNode }) => (
  <h1 className="govuk-heading-l">
    {caption ? <span className="govuk-caption-l">{caption}</span> : null}
    {children}
  </h1>
);

export type SummaryError = { text: string; href?: string };

/**
 * The error summary at the top of a form: focused when it appears (GOV.UK's behaviour), each problem
 * a link to its field.
 */
export const ErrorSummary = ({ errors, title }: { errors: SummaryError[]; title?: string }) => {
  const ref = useRef<HTMLDivElement>(null);
  const signature = errors.map((e) => e.text).join('\n');
  useEffect(() => {
    if (signature) ref.current?.focus();
  }, [signature]);
  if (errors.length === 0) return null;
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" ref={ref} tabIndex={-1}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">{title ?? 'There is a problem'}</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {errors.map((e, i) => (
              <li key={i}>
                {e.href ? (
                  <a
                    href={e.href}
                    onClick={(event) => {
                      // Move to the field itself (the label stays in view), as GOV.UK's script does.
                      const target = document.getElementById(e.href!.slice(1));
                      if (target) {
                        event.preventDefault();
                        target.scrollIntoView({ block: 'center' });
                        target.focus();
                      }
                    }}
                  >
                    {e.text}
                  </a>
                ) : (
                  e.text
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
};

const ErrorMessage = ({ id, text }: { id: string; text: string }) => (
  <p id={id} className="govuk-error-message">
    <span className="govuk-visually-hidden">Error:</span> {text}
  </p>
);

type FieldShell = {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** The label as the page's heading (one question per page). */
  isPageHeading?: boolean;
};

const describedBy = (id: string, hint: unknown, error: unknown) =>
  cx(hint ? `${id}-hint` : null, error ? `${id}-error` : null) || undefined;

const Label = ({ id, label, isPageHeading }: Pick<FieldShell, 'id' | 'label' | 'isPageHeading'>) =>
  isPageHeading ? (
    <h1 className="govuk-label-wrapper">
      <label className="govuk-label govuk-label--l" htmlFor={id}>
        {label}
      </label>
    </h1>
  ) : (
    <label className="govuk-label" htmlFor={id}>
      {label}
    </label>
  );

/** A labelled field's group: the label, its hint and its error, then the control itself. */
const FieldGroup = ({
  id,
  label,
  hint,
  error,
  isPageHeading,
  children,
}: FieldShell & { children: ReactNode }) => (
  <div className={cx('govuk-form-group', error && 'govuk-form-group--error')}>
    <Label id={id} label={label} isPageHeading={isPageHeading} />
    {hint ? (
      <div id={`${id}-hint`} className="govuk-hint">
        {hint}
      </div>
    ) : null}
    {error ? <ErrorMessage id={`${id}-error`} text={error} /> : null}
    {children}
  </div>
);

type TextInputProps = FieldShell &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'> & {
    value: string;
    onChange: (value: string) => void;
    width?: '2' | '3' | '4' | '5' | '10' | '20' | '30' | 'full' | 'one-half' | 'two-thirds';
  };

export const TextInput = ({
  id,
  label,
  hint,
  error,
  isPageHeading,
  value,
  onChange,
  width,
  className,
  ...rest
}: TextInputProps) => (
  <FieldGroup id={id} label={label} hint={hint} error={error} isPageHeading={isPageHeading}>
    <input
      id={id}
      name={id}
      className={cx(
        'govuk-input',
        width && (/^\d+$/.test(width) ? `govuk-input--width-${width}` : `govuk-!-width-${width}`),
        error && 'govuk-input--error',
        className,
      )}
      value={value}
      onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
      aria-describedby={describedBy(id, hint, error)}
      type={rest.type ?? 'text'}
      {...rest}
    />
  </FieldGroup>
);

export const Textarea = ({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  rows = 5,
}: FieldShell & { value: string; onChange: (value: string) => void; rows?: number }) => (
  <FieldGroup id={id} label={label} hint={hint} error={error}>
    <textarea
      id={id}
      name={id}
      rows={rows}
      className={cx('govuk-textarea', error && 'govuk-textarea--error')}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-describedby={describedBy(id, hint, error)}
    />
  </FieldGroup>
);

export type Option = { value: string; label: string; hint?: string };

export const Select = ({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  options,
}: FieldShell & { value: string; onChange: (value: string) => void; options: Option[] }) => (
  <FieldGroup id={id} label={label} hint={hint} error={error}>
    <select
      id={id}
      name={id}
      className={cx('govuk-select', error && 'govuk-select--error')}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-describedby={describedBy(id, hint, error)}
    >
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  </FieldGroup>
);

/** Radios or checkboxes in a fieldset whose legend asks the question. */
const Choices = ({
  kind,
  id,
  legend,
  hint,
  error,
  options,
  isChecked,
  onToggle,
  small,
  inline,
}: {
  kind: 'radios' | 'checkboxes';
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  options: Option[];
  isChecked: (value: string) => boolean;
  onToggle: (value: string, checked: boolean) => void;
  small?: boolean;
  inline?: boolean;
}) => (
  <div className={cx('govuk-form-group', error && 'govuk-form-group--error')}>
    <fieldset className="govuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
      <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
      {hint ? (
        <div id={`${id}-hint`} className="govuk-hint">
          {hint}
        </div>
      ) : null}
      {error ? <ErrorMessage id={`${id}-error`} text={error} /> : null}
      <div
        className={cx(`govuk-${kind}`, small && `govuk-${kind}--small`, inline && `govuk-${kind}--inline`)}
        data-module={`govuk-${kind}`}
      >
        {options.map((o, i) => {
          // The first input carries the field's id, so the error summary's link lands on it.
          const inputId = i === 0 ? id : `${id}-${i + 1}`;
          const item = kind === 'radios' ? 'govuk-radios' : 'govuk-checkboxes';
          return (
            <div className={`${item}__item`} key={o.value}>
              <input
                className={`${item}__input`}
                id={inputId}
                name={id}
                type={kind === 'radios' ? 'radio' : 'checkbox'}
                value={o.value}
                checked={isChecked(o.value)}
                onChange={(e) => onToggle(o.value, e.target.checked)}
                aria-describedby={o.hint ? `${inputId}-item-hint` : undefined}
              />
              <label className={`govuk-label ${item}__label`} htmlFor={inputId}>
                {o.label}
              </label>
              {o.hint ? (
                <div id={`${inputId}-item-hint`} className={`govuk-hint ${item}__hint`}>
                  {o.hint}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
    </fieldset>
  </div>
);

export const Radios = (props: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  options: Option[];
  value: string;
  onChange: (value: string) => void;
  small?: boolean;
  inline?: boolean;
}) => (
  <Choices
    kind="radios"
    {...props}
    isChecked={(v) => v === props.value}
    onToggle={(v, checked) => checked && props.onChange(v)}
  />
);

export const Checkboxes = (props: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  options: Option[];
  values: string[];
  onChange: (values: string[]) => void;
  small?: boolean;
}) => (
  <Choices
    kind="checkboxes"
    {...props}
    isChecked={(v) => props.values.includes(v)}
    onToggle={(v, checked) =>
      props.onChange(checked ? [...props.values, v] : props.values.filter((x) => x !== v))
    }
  />
);

/** A date as GOV.UK asks for one (day, month, year), held as "YYYY-MM-DD" (or as typed, when partial). */
export const DateInput = ({
  id,
  legend,
  hint,
  error,
  value,
  onChange,
}: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
}) => {
  const [y = '', m = '', d = ''] = value.split('-');
  const set = (part: 'd' | 'm' | 'y', v: string) => {
    const next = { d, m, y, [part]: v.replace(/\D/g, '') };
    onChange(
      next.y || next.m || next.d
        ? `${next.y}-${next.m.padStart(next.m ? 2 : 0, '0')}-${next.d.padStart(next.d ? 2 : 0, '0')}`
        : '',
    );
  };
  const unpadded = (s: string) => s.replace(/^0(?=\d)/, '');
  const hintId = useId();
  return (
    <div className={cx('govuk-form-group', error && 'govuk-form-group--error')}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={describedBy(id, hint, error)}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        <div id={`${id}-hint`} className="govuk-hint" data-hint={hintId}>
          {hint ?? 'For example, 27 3 2027'}
        </div>
        {error ? <ErrorMessage id={`${id}-error`} text={error} /> : null}
        <div className="govuk-date-input" id={`${id}-group`}>
          {(
            [
              ['d', 'Day', '2', unpadded(d)],
              ['m', 'Month', '2', unpadded(m)],
              ['y', 'Year', '4', y],
            ] as const
          ).map(([part, name, width, v], i) => (
            <div className="govuk-date-input__item" key={part}>
              <div className="govuk-form-group">
                <label
                  className="govuk-label govuk-date-input__label"
                  htmlFor={i === 0 ? id : `${id}-${part}`}
                >
                  {name}
                </label>
                <input
                  className={cx(
                    'govuk-input govuk-date-input__input',
                    `govuk-input--width-${width}`,
                    error && 'govuk-input--error',
                  )}
                  id={i === 0 ? id : `${id}-${part}`}
                  name={`${id}-${part}`}
                  type="text"
                  inputMode="numeric"
                  value={v}
                  onChange={(e) => set(part, e.target.value)}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
};

export const Button = ({
  children,
  kind,
  type = 'submit',
  onClick,
  disabled,
}: {
  children: ReactNode;
  kind?: 'secondary' | 'warning';
  type?: 'submit' | 'button';
  onClick?: () => void;
  disabled?: boolean;
}) => (
  <button
    type={type}
    className={cx('govuk-button', kind && `govuk-button--${kind}`)}
    data-module="govuk-button"
    onClick={onClick}
    disabled={disabled}
    aria-disabled={disabled || undefined}
  >
    {children}
  </button>
);

export const ButtonLink = ({
  to,
  children,
  kind,
}: {
  to: string;
  children: ReactNode;
  kind?: 'secondary';
}) => (
  <Link
    to={to}
    className={cx('govuk-button', kind && `govuk-button--${kind}`)}
    role="button"
    draggable="false"
  >
    {children}
  </Link>
);

export type TagColour =
  'grey' | 'green' | 'turquoise' | 'blue' | 'light-blue' | 'purple' | 'pink' | 'red' | 'orange' | 'yellow';

export const Tag = ({ colour, children }: { colour?: TagColour; children: ReactNode }) => (
  <strong className={cx('govuk-tag', colour && `govuk-tag--${colour}`)}>{children}</strong>
);

/** A notification banner; a success one takes focus when it appears, as GOV.UK's script does. */
export const NotificationBanner = ({
  title,
  success,
  children,
  focus,
}: {
  title?: string;
  success?: boolean;
  children: ReactNode;
  focus?: boolean;
}) => {
  const ref = useRef<HTMLDivElement>(null);
  const headingId = useId();
  useEffect(() => {
    if (focus ?? success) ref.current?.focus();
  }, [focus, success]);
  return (
    <div
      ref={ref}
      className={cx('govuk-notification-banner', success && 'govuk-notification-banner--success')}
      role={success ? 'alert' : 'region'}
      aria-labelledby={headingId}
      tabIndex={-1}
      data-module="govuk-notification-banner"
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id={headingId}>
          {title ?? (success ? 'Success' : 'Important')}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">{children}</div>
    </div>
  );
};

export const WarningText = ({ children }: { children: ReactNode }) => (
  <div className="govuk-warning-text">
    <span className="govuk-warning-text__icon" aria-hidden="true">
      !
    </span>
    <strong className="govuk-warning-text__text">
      <span className="govuk-visually-hidden">Warning</span>
      {children}
    </strong>
  </div>
);

export const InsetText = ({ children }: { children: ReactNode }) => (
  <div className="govuk-inset-text">{children}</div>
);

export const Details = ({ summary, children }: { summary: ReactNode; children: ReactNode }) => (
  <details className="govuk-details">
    <summary className="govuk-details__summary">
      <span className="govuk-details__summary-text">{summary}</span>
    </summary>
    <div className="govuk-details__text">{children}</div>
  </details>
);

export const SummaryList = ({
  rows,
  noBorder,
}: {
  rows: { key: ReactNode; value: ReactNode; action?: ReactNode }[];
  noBorder?: boolean;
}) => (
  <dl className={cx('govuk-summary-list', noBorder && 'govuk-summary-list--no-border')}>
    {rows.map((r, i) => (
      <div className="govuk-summary-list__row" key={i}>
        <dt className="govuk-summary-list__key">{r.key}</dt>
        <dd className="govuk-summary-list__value">{r.value}</dd>
        {r.action ? <dd className="govuk-summary-list__actions">{r.action}</dd> : null}
      </div>
    ))}
  </dl>
);

/**
 * A table; wide ones scroll inside a focusable region of their own, so the page itself still fits a
 * 320 px screen (WCAG 1.4.10) and a keyboard can scroll it.
 */
export const Table = ({
  caption,
  head,
  rows,
  numeric = [],
}: {
  caption: ReactNode;
  head: ReactNode[];
  rows: { key: string; cells: ReactNode[] }[];
  numeric?: number[];
}) => {
  const captionId = useId();
  return (
    <div className="ccx-table-wrapper" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m" id={captionId}>
          {caption}
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            {head.map((h, i) => (
              <th
                scope="col"
                className={cx('govuk-table__header', numeric.includes(i) && 'govuk-table__header--numeric')}
                key={i}
              >
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {rows.map((r) => (
            <tr className="govuk-table__row" key={r.key}>
              {r.cells.map((c, i) =>
                i === 0 ? (
                  <th scope="row" className="govuk-table__header" key={i}>
                    {c}
                  </th>
                ) : (
                  <td
                    className={cx('govuk-table__cell', numeric.includes(i) && 'govuk-table__cell--numeric')}
                    key={i}
                  >
                    {c}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

export const BackLink = ({ to, children }: { to: string; children?: ReactNode }) => (
  <Link to={to} className="govuk-back-link">
    {children ?? 'Back'}
  </Link>
);

/** Shown while a page's data is on its way; announced to screen readers. */
export const Loading = ({ what }: { what: string }) => (
  <p className="govuk-body" role="status">
    Loading {what}…
  </p>
);

/** A hub error that belongs to no field: in words, with the request id to quote to support. */
export const ProblemText = ({ message, requestId }: { message: string; requestId?: string | null }) => (
  <div className="govuk-error-summary" role="alert" tabIndex={-1}>
    <h2 className="govuk-error-summary__title">There is a problem</h2>
    <div className="govuk-error-summary__body">
      <p className="govuk-body">{message}</p>
      {requestId ? <p className="govuk-body-s">Request id: {requestId}</p> : null}
    </div>
  </div>
);

/** A page whose record the hub would not give: its heading, and the hub's words with the request id. */
export const PageLoadFailed = ({ title, error }: { title: string; error: unknown }) => {
  const p = hubErrorOf(error);
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <ProblemText message={p.message} requestId={p.requestId} />
    </>
  );
};

export const issuesToSummary = (issues: FieldIssue[], known?: (id: string) => boolean): SummaryError[] =>
  issues.map((i) => {
    const id = fieldId(i.path);
    const exists = known ? known(id) : true;
    return {
      text: i.path === '(input)' || !exists ? i.message : i.message,
      ...(exists && i.path !== '(input)' ? { href: `#${id}` } : {}),
    };
  });
