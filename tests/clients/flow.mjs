// A mentee and a mentor run the contract's flow with the clients SPAs use:
// Apollo Client (HttpLink, GraphQLWsLink over graphql-ws, InMemoryCache) and
// relay-runtime's store. Prints one JSON object: the facts the flow saw and
// each cache check as {ok, detail}; tests/test_spa_clients.py asserts them.
// Usage: node --conditions=development flow.mjs http://127.0.0.1:PORT
// (the development condition turns on Apollo's warnings, as in a dev build).
import { ApolloClient, HttpLink, InMemoryCache, gql, split } from '@apollo/client';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { buildSchema } from 'graphql';
import { createClient } from 'graphql-ws';
import {
  Environment,
  Network,
  RecordSource,
  Store,
  createOperationDescriptor,
  fetchQuery,
} from 'relay-runtime';
import WebSocket from 'ws';

import { operations } from './operations.mjs';
import { relayRequest } from './relay-request.mjs';

const base = process.argv[2];
if (!base) {
  console.error('usage: node flow.mjs http://127.0.0.1:PORT');
  process.exit(2);
}
const httpUrl = `${base}/graphql`;
const wsUrl = httpUrl.replace(/^http/, 'ws');
const SECONDS = 15;

// Every warning either library prints (Apollo's "Cache data may be lost",
// Relay's conflicting-types warnings) is kept and reported.
const warnings = [];
for (const level of ['warn', 'error']) {
  console[level] = (...args) => warnings.push(format(...args));
}
loadDevMessages();
loadErrorMessages();

const operation = operations();
const checks = {};
const facts = {};

function check(name, ok, detail) {
  checks[name] = { ok: Boolean(ok), detail };
}

function within(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${SECONDS} s`)), SECONDS * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- Apollo

// What Apollo's HTTP requests carried: per operation name, for each request,
// whether its text was sent and whether the server asked for it.
const sent = new Map();
async function recordingFetch(url, init) {
  const body = JSON.parse(init.body);
  const response = await fetch(url, init);
  const answer = await response.clone().json();
  const missing = (answer.errors ?? []).some(
    (error) => error.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND',
  );
  const requests = sent.get(body.operationName) ?? [];
  requests.push({ text: 'query' in body, missing });
  sent.set(body.operationName, requests);
  return response;
}

function apollo(token) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const socket = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: headers,
    retryAttempts: 0,
  });
  const isSubscription = ({ query }) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  };
  // Automatic persisted queries, as an SPA sets them up: every operation is
  // sent by hash first, and by text only when the server asks for it.
  const persisted = new PersistedQueryLink({
    sha256: (text) => createHash('sha256').update(text).digest('hex'),
  });
  const http = persisted.concat(new HttpLink({ uri: httpUrl, headers, fetch: recordingFetch }));
  const link = split(isSubscription, new GraphQLWsLink(socket), http);
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), socket };
}

async function mutate(member, name, variables) {
  const { data } = await member.client.mutate({ mutation: operation(name), variables });
  return data;
}

async function query(member, name, variables) {
  const { data } = await member.client.query({
    query: operation(name),
    variables,
    fetchPolicy: 'network-only',
  });
  return data;
}

// Messages of one conversation as they arrive over `messageAdded`.
function listen(member, relationshipId, after) {
  const received = [];
  const waiting = [];
  const subscription = member.client
    .subscribe({ query: operation('MessageAdded'), variables: { relationshipId, after } })
    .subscribe({
      next: ({ data, error }) => {
        if (error) throw error;
        received.push(data.messageAdded);
        for (const waiter of waiting.splice(0)) waiter();
      },
    });
  const until = (count) =>
    within(
      new Promise((resolve) => {
        const done = () => (received.length >= count ? resolve(received) : waiting.push(done));
        done();
      }),
      `message ${count} over messageAdded`,
    );
  return { received, until, stop: () => subscription.unsubscribe() };
}

async function register(name, role) {
  const anonymous = apollo(null);
  const email = `${role}-${process.pid}-${Date.now()}@example.org`;
  const data = await mutate(anonymous, 'Register', {
    input: { email, password: 'correct horse battery staple', displayName: name },
  });
  anonymous.client.stop();
  await anonymous.socket.dispose();
  return { ...apollo(data.register.token), token: data.register.token, user: data.register.user };
}

const today = new Date();
const day = (offset) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);

const mentor = await register('Mara Mentor', 'mentor');
const mentee = await register('Tom Mentee', 'mentee');

const shared = {
  bio: 'Ten years of building data teams; happy to share what worked and what did not.',
  country: 'DE',
  city: 'Berlin',
  timezone: 'Europe/Berlin',
  languages: ['de', 'en'],
  topics: ['CAREER_PLANNING', 'APPLICATION_STRATEGY'],
  channels: ['VIDEO_CALL', 'PRIVATE_MESSAGE'],
};
const mentorProfile = await mutate(mentor, 'SaveMentorProfile', {
  input: {
    ...shared,
    headline: 'Data science lead',
    industry: 'Software',
    yearsOfExperience: 12,
    capacity: 3,
    acceptingMentees: true,
  },
});
const menteeProfile = await mutate(mentee, 'SaveMenteeProfile', {
  input: {
    ...shared,
    headline: 'Statistics graduate',
    bio: 'Just finished a master in statistics, looking for a first job in data science.',
    fieldOfStudy: 'Statistics',
    situation: 'CAREER_ENTRY',
    goals: 'A first job in data science within a year.',
  },
});
facts.complete = [
  mentorProfile.saveMentorProfile.completeness.isComplete,
  menteeProfile.saveMenteeProfile.completeness.isComplete,
];

const requested = await mutate(mentee, 'RequestMentoring', {
  input: {
    mentorId: mentorProfile.saveMentorProfile.id,
    message:
      'Hello Mara, I would like to learn how to find my first job in data science and what to study next.',
    topics: ['CAREER_PLANNING'],
  },
});
const relationshipId = requested.requestMentoring.id;
const accepted = await mutate(mentor, 'AcceptRequest', { relationshipId });
facts.statuses = [requested.requestMentoring.status, accepted.acceptMentoringRequest.status];

// ---------------------------------------------------------------- agreement

// Both sides hold their list of relationships in the cache, as a dashboard would.
await query(mentor, 'MyRelationships', {});
const terms = {
  relationshipId,
  goals: ['A first job in data science', 'A portfolio of two projects'],
  topics: ['CAREER_PLANNING', 'APPLICATION_STRATEGY'],
  cadence: 'BIWEEKLY',
  channels: ['VIDEO_CALL'],
  startsOn: day(0),
  endsOn: day(180),
  expectations: 'Prepared questions before each call.',
};
const proposed = (await mutate(mentor, 'ProposeAgreement', { input: terms })).proposeAgreement;
facts.proposedVersion = proposed.version;

// The proposer's cached relationship shows the proposal, without a refetch.
const pending = mentor.client.cache.readFragment({
  id: mentor.client.cache.identify({ __typename: 'Relationship', id: relationshipId }),
  fragment: gql`
    fragment PendingAgreement on Relationship {
      pendingAgreement { id version }
    }
  `,
});
check(
  'pendingAgreementCached',
  pending?.pendingAgreement && pending.pendingAgreement.id === proposed.id,
  `cached pendingAgreement: ${JSON.stringify(pending?.pendingAgreement)}; proposed id ${proposed.id}`,
);

// The other side reads the proposal, then accepts it.
const before = await query(mentee, 'MyRelationships', {});
facts.agreementBeforeAccept = before.myRelationships[0].agreement?.status ?? null;
const warningsBeforeAccept = warnings.length;
const acceptedTerms = await mutate(mentee, 'AcceptAgreement', {
  relationshipId,
  version: proposed.version,
});
facts.statuses.push(acceptedTerms.acceptAgreement.status);

const cached = mentee.client.cache.readQuery({ query: operation('MyRelationships'), variables: {} });
const agreement = cached?.myRelationships?.[0]?.agreement;
check(
  'nothingLostOnAccept',
  agreement?.status === 'ACCEPTED' && agreement.goals.length === terms.goals.length,
  `cached MyRelationships after AcceptAgreement: ${JSON.stringify(agreement ?? cached)}`,
);
const lost = warnings.slice(warningsBeforeAccept).filter((text) => text.includes('Cache data may be lost'));
check('noCacheDataLostWarning', lost.length === 0, lost.join('\n') || 'none');

// ---------------------------------------------------------------- messages, live

const conversation = await query(mentee, 'Conversation', { relationshipId, last: 10 });
const edges = conversation.relationship.messages.edges;
const after = edges.at(-1)?.cursor ?? null;
facts.requestMessageFirst = edges[0]?.node.body.startsWith('Hello Mara') ?? false;
const menteeHears = listen(mentee, relationshipId, after);
const mentorHears = listen(mentor, relationshipId, after);

const hello = await mutate(mentor, 'SendMessage', {
  input: { relationshipId, body: 'Welcome! When suits you for a first call?', clientMessageId: 'm-1' },
});
await menteeHears.until(1);
await mutate(mentee, 'SendMessage', {
  input: { relationshipId, body: 'Thursday at six would be great.', clientMessageId: 't-1' },
});
await mentorHears.until(2);
await menteeHears.until(2);
facts.menteeReceived = menteeHears.received.map((m) => [m.body, m.sender.id]);
facts.mentorReceived = mentorHears.received.map((m) => [m.body, m.sender.id]);
facts.helloSender = hello.sendMessage.sender.id;
facts.userIds = { mentor: mentor.user.id, mentee: mentee.user.id };
menteeHears.stop();
mentorHears.stop();

// ---------------------------------------------------------------- Relay

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const typesById = new Map();
const environment = new Environment({
  network: Network.create(async (params, variables) => {
    const response = await fetch(httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mentee.token}` },
      body: JSON.stringify({ query: params.text, variables, operationName: params.name }),
    });
    return response.json();
  }),
  store: new Store(new RecordSource()),
  // Relay keys records by `id` alone; note each type seen under each id.
  getDataID: (value, typeName) => {
    if (value.id != null) {
      typesById.set(value.id, (typesById.get(value.id) ?? new Set()).add(typeName));
    }
    return value.id;
  },
});
const warningsBeforeRelay = warnings.length;
const relayRead = (name, variables) =>
  fetchQuery(environment, relayRequest(schema, operation(name)), variables).toPromise();
// What a screen shows once all three are in the store: each read back from it.
const readBack = (name, variables) =>
  environment.lookup(
    createOperationDescriptor(relayRequest(schema, operation(name)), variables).fragment,
  ).data;
await relayRead('Viewer', {});
await relayRead('MyRelationships', {});
await relayRead('Conversation', { relationshipId, last: 10 });
const viewer = readBack('Viewer', {}).viewer;
const listed = readBack('MyRelationships', {}).myRelationships[0];
// The contract gives the viewer's User the id of its Member: one person, one
// record. Any other pair of types under one id is two objects merged.
const onePerson = (types) => types.size === 2 && types.has('User') && types.has('Member');
// Each operation went by hash first; sent again, it ran by hash alone.
const byName = [...sent].map(([name, requests]) => ({
  name,
  hashFirst: !requests[0].text && requests[0].missing,
  repeatByHash: requests.length < 3 || requests.slice(2).some((r) => !r.text && !r.missing),
}));
check(
  'persistedQueriesHashFirst',
  byName.length > 0 &&
    byName.every((each) => each.hashFirst && each.repeatByHash) &&
    byName.some((each) => sent.get(each.name).length > 2),
  JSON.stringify(byName.filter((each) => !each.hashFirst || !each.repeatByHash)),
);
const sharedIds = [...typesById].filter(([, types]) => types.size > 1 && !onePerson(types));
const samePerson = (text) => text.includes('`User`') && text.includes('`Member`');
const relayWarnings = warnings
  .slice(warningsBeforeRelay)
  .filter((text) => text.includes('Relay') && !samePerson(text));
check(
  'relayOneTypePerId',
  sharedIds.length === 0 && relayWarnings.length === 0,
  [...sharedIds.map(([id, types]) => `${id}: ${[...types].join(', ')}`), ...relayWarnings].join(
    '; ',
  ) || 'none',
);
const names = [viewer?.displayName, listed?.mentor.displayName, listed?.mentee.displayName];
check(
  'relayReadsBackWhatTheServerSent',
  JSON.stringify(names) === JSON.stringify(['Tom Mentee', 'Mara Mentor', 'Tom Mentee']),
  `viewer, mentor, mentee read back as ${JSON.stringify(names)}`,
);

for (const member of [mentor, mentee]) {
  member.client.stop();
  await member.socket.dispose();
}
process.stdout.write(JSON.stringify({ facts, checks, warnings }));
process.exit(0);
