// Webhooks: the hub posts what changed to the authority's own systems, signed with a secret shown
// once. A webhook's page sends a test, lists its deliveries with their status, resends one, rotates
// the secret and deletes the webhook.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  Checkboxes,
  Loading,
  NotificationBanner,
  ProblemText,
  SummaryList,
  Table,
  Tag,
  TextInput,
  WarningText,
  type TagColour,
} from '../../components/govuk.js';
import { formatDateTime } from '../../format.js';
import { Link, navigate, useSearchParams } from '../../navigation.js';
import { useSession } from '../../session.js';
import { hubErrorOf, useTRPC, type Inputs, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';
import { AdminBack, Confirm, CopyableText, failLabelled, newKey } from './parts.js';

type EventType = Inputs['webhooks']['create']['eventTypes'][number];
type Webhook = Outputs['webhooks']['list'][number];
type Delivery = Outputs['webhooks']['deliveries'][number];

/** Every event a webhook may carry, in words (the hub's list: schema/src/events.ts). */
const EVENTS: { value: EventType; label: string }[] = [
  { value: 'outcome.published', label: 'An outcome is published' },
  { value: 'outcome.amended', label: 'An outcome is amended' },
  { value: 'outcome.withdrawn', label: 'An outcome is withdrawn' },
  { value: 'restriction.created', label: 'A restriction is made' },
  { value: 'restriction.updated', label: 'A restriction is changed' },
  { value: 'restriction.lifted', label: 'A restriction is lifted' },
  { value: 'restriction.expired', label: 'A restriction expires' },
  { value: 'allocation.changed', label: 'A setting’s lead authority changes' },
  { value: 'access.prospective-granted', label: 'Pre-placement access is granted' },
  { value: 'access.prospective-expired', label: 'Pre-placement access expires' },
  { value: 'provision.ofsted-grade-changed', label: 'A setting’s Ofsted grade changes' },
  { value: 'provision.registration-changed', label: 'A setting’s registration changes' },
  { value: 'monitoring.overdue', label: 'A monitoring visit becomes overdue' },
  { value: 'signal.raised', label: 'A member holds restricted information (kind not told)' },
  { value: 'signal.ended', label: 'Restricted information is no longer held' },
];
const eventWords = (t: string): string => EVENTS.find((e) => e.value === t)?.label ?? t;

const DELIVERY: Record<Delivery['status'], { text: string; colour: TagColour }> = {
  pending: { text: 'Waiting to send', colour: 'yellow' },
  delivered: { text: 'Delivered', colour: 'green' },
  failed: { text: 'Failed, will retry', colour: 'orange' },
  dead: { text: 'Gave up', colour: 'red' },
};

const WebhookStatus = ({ status }: { status: Webhook['status'] }) =>
  status === 'active' ? <Tag colour="green">Active</Tag> : <Tag colour="grey">Disabled</Tag>;

/** The signing secret, shown once at creation or rotation. */
const SecretOnce = ({ secret }: { secret: string }) => (
  <>
    <WarningText>
      Copy the signing secret now: it will not be shown again. Your receiver uses it to check each delivery
      came from the hub.
    </WarningText>
    <CopyableText id="webhook-secret" label="Signing secret" value={secret} />
  </>
);

export const WebhooksPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me } = useSession();
  const deleted = useSearchParams().get('deleted');
  const hooks = useQuery(trpc.webhooks.list.queryOptions());
  const form = useHubForm<{ url: string; eventTypes: string[] }>('admin-webhook', {
    url: '',
    eventTypes: [],
  });
  const [created, setCreated] = useState<Outputs['webhooks']['create'] | null>(null);
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: (answer) => {
        form.reset({ url: '', eventTypes: [] });
        setCreated(answer);
        void queryClient.invalidateQueries(trpc.webhooks.list.queryFilter());
      },
      onError: failLabelled(form, { url: 'Address', eventTypes: 'Events' }),
    }),
  );
  const submit = () => {
    const missing = [
      !form.values.url.trim() ? { path: 'url', message: 'Enter the address the hub should post to' } : null,
      form.values.eventTypes.length === 0
        ? { path: 'eventTypes', message: 'Choose at least one event' }
        : null,
    ].filter((x) => x !== null);
    if (missing.length > 0) return form.failWith(missing);
    form.clearProblem();
    create.mutate({
      url: form.values.url.trim(),
      eventTypes: form.values.eventTypes as EventType[],
      idempotencyKey: newKey(),
    });
  };

  return (
    <>
      <AdminBack />
      {deleted ? (
        <NotificationBanner success title="Done">
          <p className="govuk-notification-banner__heading">The webhook to {deleted} is deleted.</p>
        </NotificationBanner>
      ) : null}
      {created ? (
        <>
          <NotificationBanner success title="Webhook made">
            <p className="govuk-notification-banner__heading">
              The hub will post to {created.webhook.url}.{' '}
              <Link to={`/admin/webhooks/${created.webhook.id}`} className="govuk-notification-banner__link">
                Send it a test
              </Link>
              .
            </p>
          </NotificationBanner>
          <SecretOnce secret={created.secret} />
        </>
      ) : null}
      <h1 className="govuk-heading-l">
        <span className="govuk-caption-l">{me.authority.name}</span>
        Webhooks
      </h1>
      <p className="govuk-body">
        The hub posts each change your authority may know of to these addresses, as it happens, signed with
        the webhook’s secret. A delivery that fails is tried again for a while.
      </p>
      {hooks.isPending ? (
        <Loading what="webhooks" />
      ) : hooks.error ? (
        <ProblemText
          message={hubErrorOf(hooks.error).message}
          requestId={hubErrorOf(hooks.error).requestId}
        />
      ) : hooks.data.length === 0 ? (
        <p className="govuk-body">You have no webhooks yet.</p>
      ) : (
        <Table
          caption="Your webhooks"
          head={['Address', 'Events', 'Status', 'Made']}
          rows={hooks.data.map((h) => ({
            key: h.id,
            cells: [
              <Link to={`/admin/webhooks/${h.id}`} key="url" className="govuk-link ccx-secret">
                {h.url}
              </Link>,
              `${h.eventTypes.length} of ${EVENTS.length}`,
              <WebhookStatus status={h.status} key="s" />,
              formatDateTime(h.createdAt),
            ],
          }))}
        />
      )}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Form onSubmit={submit} problem={form.problem} fields={['url', 'eventTypes']} label="Add a webhook">
            <h2 className="govuk-heading-m">Add a webhook</h2>
            <TextInput
              id="url"
              label="Address"
              hint="An https address of your system, such as https://cms.example.gov.uk/ccx-events."
              type="url"
              value={form.values.url}
              onChange={(v) => form.set('url', v)}
              error={form.errorFor('url')}
              spellCheck={false}
              autoComplete="off"
            />
            <Checkboxes
              id="eventTypes"
              legend="Which changes should it hear of?"
              options={EVENTS}
              values={form.values.eventTypes}
              onChange={(v) => form.set('eventTypes', v)}
              error={form.errorFor('eventTypes')}
              small
            />
            <Button disabled={create.isPending}>Add webhook</Button>
          </Form>
        </div>
      </div>
    </>
  );
};

export const WebhookPage = ({ params }: PageProps) => {
  const id = params['id'] ?? '';
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hooks = useQuery(trpc.webhooks.list.queryOptions());
  const hook = hooks.data?.find((h) => h.id === id);
  const deliveries = useQuery({
    ...trpc.webhooks.deliveries.queryOptions({ id, limit: 50 }),
    enabled: !!hook,
  });
  const [banner, setBanner] = useState<{ text: string; ok: boolean } | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<ReturnType<typeof hubErrorOf> | null>(null);
  const refreshDeliveries = () => queryClient.invalidateQueries(trpc.webhooks.deliveries.queryFilter());
  const failed = (error: unknown) => {
    setBanner(null);
    setProblem(hubErrorOf(error));
  };

  const test = useMutation(
    trpc.webhooks.test.mutationOptions({
      onSuccess: (d) => {
        setProblem(null);
        setBanner(
          d.ok
            ? {
                ok: true,
                text: `The test was delivered: your receiver answered ${d.lastStatusCode ?? 'OK'}.`,
              }
            : {
                ok: false,
                text: `The test was not delivered: ${d.lastError ?? `your receiver answered ${d.lastStatusCode ?? 'nothing'}`}.`,
              },
        );
        void refreshDeliveries();
      },
      onError: failed,
    }),
  );
  const resend = useMutation(
    trpc.webhooks.resend.mutationOptions({
      onSuccess: () => {
        setProblem(null);
        setBanner({ ok: true, text: 'The delivery will be sent again shortly.' });
        void refreshDeliveries();
      },
      onError: failed,
    }),
  );
  const rotate = useMutation(
    trpc.webhooks.rotateSecret.mutationOptions({
      onSuccess: (answer) => {
        setProblem(null);
        setBanner({ ok: true, text: 'The webhook has a new signing secret; the old one no longer signs.' });
        setSecret(answer.secret);
        void queryClient.invalidateQueries(trpc.webhooks.list.queryFilter());
      },
      onError: failed,
    }),
  );
  const remove = useMutation(
    trpc.webhooks.delete.mutationOptions({
      onSuccess: (h) => {
        void queryClient.invalidateQueries(trpc.webhooks.list.queryFilter());
        navigate(`/admin/webhooks?deleted=${encodeURIComponent(h.url)}`);
      },
      onError: (error) => {
        setConfirming(false);
        failed(error);
      },
    }),
  );

  if (hooks.isPending) return <Loading what="the webhook" />;
  if (hooks.error)
    return (
      <>
        <h1 className="govuk-heading-l">Webhook</h1>
        <ProblemText
          message={hubErrorOf(hooks.error).message}
          requestId={hubErrorOf(hooks.error).requestId}
        />
      </>
    );
  if (!hook)
    return (
      <>
        <BackLink to="/admin/webhooks">Back to webhooks</BackLink>
        <h1 className="govuk-heading-l">Webhook not found</h1>
        <p className="govuk-body">
          Your authority has no webhook with that id. <Link to="/admin/webhooks">See your webhooks</Link>.
        </p>
      </>
    );
  if (confirming)
    return (
      <Confirm
        heading="Delete this webhook?"
        warning="The hub stops posting to this address at once, and its deliveries are forgotten. This cannot be undone."
        confirmText="Yes, delete the webhook"
        onConfirm={() => remove.mutate({ id: hook.id })}
        onCancel={() => setConfirming(false)}
        busy={remove.isPending}
      >
        <p className="govuk-body ccx-secret">{hook.url}</p>
      </Confirm>
    );

  return (
    <>
      <BackLink to="/admin/webhooks">Back to webhooks</BackLink>
      {problem ? <ProblemText message={problem.message} requestId={problem.requestId} /> : null}
      {banner ? (
        <NotificationBanner success={banner.ok} title={banner.ok ? 'Done' : 'Not delivered'} focus>
          <p className="govuk-notification-banner__heading">{banner.text}</p>
        </NotificationBanner>
      ) : null}
      {secret ? <SecretOnce secret={secret} /> : null}
      <h1 className="govuk-heading-l">
        <span className="govuk-caption-l">Webhook</span>
        <span className="ccx-secret">{hook.url}</span>
      </h1>
      <SummaryList
        rows={[
          { key: 'Status', value: <WebhookStatus status={hook.status} /> },
          {
            key: 'Events',
            value: (
              <ul className="govuk-list">
                {hook.eventTypes.map((t) => (
                  <li key={t}>{eventWords(t)}</li>
                ))}
              </ul>
            ),
          },
          { key: 'Made', value: formatDateTime(hook.createdAt) },
          {
            key: 'Secret last changed',
            value: hook.secretRotatedAt
              ? formatDateTime(hook.secretRotatedAt)
              : 'Never (the one made with it)',
          },
        ]}
      />
      <div className="govuk-button-group">
        <Button type="button" onClick={() => test.mutate({ id: hook.id })} disabled={test.isPending}>
          Send a test
        </Button>
        <Button kind="secondary" type="button" onClick={() => rotate.mutate({ id: hook.id })}>
          Make a new secret
        </Button>
        <Button kind="warning" type="button" onClick={() => setConfirming(true)}>
          Delete webhook
        </Button>
      </div>
      <h2 className="govuk-heading-m">Deliveries</h2>
      {deliveries.isPending ? (
        <Loading what="deliveries" />
      ) : deliveries.error ? (
        <ProblemText
          message={hubErrorOf(deliveries.error).message}
          requestId={hubErrorOf(deliveries.error).requestId}
        />
      ) : deliveries.data.length === 0 ? (
        <p className="govuk-body">Nothing has been sent yet. Send a test to see the first.</p>
      ) : (
        <>
          <Button kind="secondary" type="button" onClick={() => void refreshDeliveries()}>
            Check for updates
          </Button>
          <Table
            caption="The latest 50, newest first"
            head={['Sent', 'Event', 'Status', 'Attempts', 'Last answer', 'Action']}
            rows={deliveries.data.map((d) => ({
              key: d.id,
              cells: [
                formatDateTime(d.createdAt),
                d.eventType === 'webhook.test' ? 'Test' : eventWords(d.eventType),
                <Tag colour={DELIVERY[d.status].colour} key="s">
                  {DELIVERY[d.status].text}
                </Tag>,
                String(d.attempts),
                d.lastError ?? (d.lastStatusCode === null ? 'None yet' : `HTTP ${d.lastStatusCode}`),
                d.status === 'pending' ? (
                  'Queued'
                ) : d.eventType === 'webhook.test' ? (
                  // A test is sent at once, never queued: send another rather than resend this one.
                  'Send a new test to try again'
                ) : (
                  <Button
                    kind="secondary"
                    type="button"
                    key="a"
                    onClick={() => resend.mutate({ id: hook.id, deliveryId: d.id })}
                  >
                    Resend
                    <span className="govuk-visually-hidden">
                      {' '}
                      the delivery of {formatDateTime(d.createdAt)}
                    </span>
                  </Button>
                ),
              ],
            }))}
          />
        </>
      )}
    </>
  );
};
