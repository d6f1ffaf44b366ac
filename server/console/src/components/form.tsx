// A form's state and the hub's answer to it: values kept in sessionStorage as they are typed (so an
// expired session's sign-in, or a refused submit, loses nothing), and the hub's field issues shown on
// the fields and in the error summary.
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { hubErrorOf, isSignedOut, type HubError } from '../trpc.js';
import { ErrorSummary, fieldId, type SummaryError } from './govuk.js';

const STORE = 'ccx:form:';

const restore = <V,>(key: string | null): V | null => {
  if (!key) return null;
  try {
    const raw = window.sessionStorage.getItem(STORE + key);
    return raw ? (JSON.parse(raw) as V) : null;
  } catch {
    return null;
  }
};

export type HubForm<V> = {
  values: V;
  set: <K extends keyof V>(name: K, value: V[K]) => void;
  replace: (values: V) => void;
  /** The hub's message for a field (its own path, or the first issue beneath it). */
  errorFor: (path: string) => string | undefined;
  problem: HubError | null;
  fail: (error: unknown) => void;
  /** Problems found before asking the hub (a required field left empty). */
  failWith: (issues: { path: string; message: string }[]) => void;
  clearProblem: () => void;
  /** Forgets the kept values: call when the hub has accepted the form. */
  done: () => void;
  /** After the hub accepted it: forgets the kept values and any problem, and shows the form anew. */
  reset: (values: V) => void;
};

/**
 * `key` names the form in sessionStorage (null: nothing kept, for secrets such as passwords);
 * `signInForm` shows a refused sign-in (401) as the form's error rather than going to sign in.
 */
export const useHubForm = <V extends object>(
  key: string | null,
  initial: V,
  opts: { signInForm?: boolean } = {},
): HubForm<V> => {
  const [values, setValues] = useState<V>(() => ({ ...initial, ...(restore<Partial<V>>(key) ?? {}) }));
  const [problem, setProblem] = useState<HubError | null>(null);
  const finished = useRef(false);
  useEffect(() => {
    if (!key || finished.current) return;
    try {
      window.sessionStorage.setItem(STORE + key, JSON.stringify(values));
    } catch {
      // Storage full or refused: the form still works, it just will not survive a reload.
    }
  }, [key, values]);
  const done = () => {
    finished.current = true;
    if (key) window.sessionStorage.removeItem(STORE + key);
  };
  const errorFor = useCallback(
    (path: string) => problem?.issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message,
    [problem],
  );
  return {
    values,
    set: (name, value) => {
      finished.current = false;
      setValues((v) => ({ ...v, [name]: value }));
    },
    replace: (next) => setValues(next),
    errorFor,
    problem,
    fail: (error) => {
      // A session that ended sends the person to sign in (trpc.ts); the values are kept for their return.
      // On the sign-in pages themselves a refusal is the answer to show.
      if (opts.signInForm || !isSignedOut(error)) setProblem(hubErrorOf(error));
    },
    failWith: (issues) =>
      setProblem({
        code: 'BAD_REQUEST',
        httpStatus: 400,
        message: issues.map((i) => i.message).join('; '),
        issues,
        requestId: null,
      }),
    clearProblem: () => setProblem(null),
    done,
    reset: (next) => {
      done();
      setProblem(null);
      setValues(next);
    },
  };
};

/**
 * The hub's problems as GOV.UK's error summary: each field issue linking to the field named in
 * `fields` (issue path → field path, longest match), any other problem in words.
 */
export const summaryOf = (problem: HubError | null, fields: string[]): SummaryError[] => {
  if (!problem) return [];
  if (problem.issues.length === 0)
    return [
      { text: problem.requestId ? `${problem.message} (request id ${problem.requestId})` : problem.message },
    ];
  return problem.issues.map((issue) => {
    const field = fields
      .filter((f) => issue.path === f || issue.path.startsWith(`${f}.`))
      .sort((a, b) => b.length - a.length)[0];
    return field ? { text: issue.message, href: `#${fieldId(field)}` } : { text: issue.message };
  });
};

/** A form that never reloads the page; its error summary sits above it. */
export const Form = ({
  onSubmit,
  problem,
  fields,
  children,
  label,
}: {
  onSubmit: () => void;
  problem: HubError | null;
  /** The paths of the fields this form shows, so the summary can link to them. */
  fields: string[];
  children: ReactNode;
  label?: string;
}) => (
  <>
    <ErrorSummary errors={summaryOf(problem, fields)} />
    <form
      noValidate
      aria-label={label}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  </>
);
