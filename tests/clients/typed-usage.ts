// What a typed SPA writes against the generated operation types. It is never
// run: `tsc --noEmit --strict` checks it, so that a schema change the client
// operations or this code do not expect fails the build (see
// tests/test_typed_clients.py).
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AcceptAgreementDocument,
  MyRelationshipsDocument,
  ProposeAgreementDocument,
  SendMessageDocument,
  type MessageAddedSubscription,
  type MyRelationshipsQuery,
  type ProposeAgreementMutationVariables,
  type SaveMenteeProfileMutationVariables,
} from './generated/graphql';

// A client's request function, as Apollo's and urql's are typed.
declare function request<Result, Variables>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result>;

type Relationship = MyRelationshipsQuery['myRelationships'][number];

// DateTime and Date arrive as ISO 8601 strings.
export function requestedOn(relationship: Relationship): Date {
  const createdAt: string = relationship.createdAt;
  return new Date(createdAt);
}

export function termsEnd(relationship: Relationship): string | null {
  // The current terms may be missing (nothing proposed yet).
  return relationship.agreement?.endsOn ?? null;
}

export function partnerName(relationship: Relationship): string {
  return relationship.viewerRole === 'MENTOR'
    ? relationship.mentee.displayName
    : relationship.mentor.displayName;
}

export function isUnread(relationship: Relationship): boolean {
  return relationship.unreadCount > 0 && relationship.lastMessage !== null;
}

export const proposal: ProposeAgreementMutationVariables = {
  input: {
    relationshipId: '1',
    goals: ['Find a first job in data science'],
    topics: ['CAREER_PLANNING', 'APPLICATION_STRATEGY'],
    cadence: 'BIWEEKLY',
    channels: ['VIDEO_CALL'],
    startsOn: '2026-12-01',
    endsOn: '2027-06-01',
    expectations: null,
  },
};

export const refused: ProposeAgreementMutationVariables = {
  input: {
    ...proposal.input,
    // @ts-expect-error a topic outside the Topic enum
    topics: ['COOKING'],
  },
};

export const profile: SaveMenteeProfileMutationVariables = {
  // A partial update: every field optional.
  input: { situation: 'RELOCATION', targetCountry: 'DE' },
};

export function messageLine(event: MessageAddedSubscription): string {
  const sentAt: string = event.messageAdded.sentAt;
  // @ts-expect-error DateTime is a string, never a number
  const epoch: number = event.messageAdded.sentAt;
  return `${sentAt} ${event.messageAdded.body} (${epoch})`;
}

export async function flow(): Promise<string> {
  const listed = await request(MyRelationshipsDocument, { status: ['ACCEPTED', 'ACTIVE'] });
  const first = listed.myRelationships[0];
  if (first === undefined) return 'nothing yet';
  const proposed = await request(ProposeAgreementDocument, {
    input: { ...proposal.input, relationshipId: first.id },
  });
  const accepted = await request(AcceptAgreementDocument, {
    relationshipId: first.id,
    version: proposed.proposeAgreement.version,
  });
  const sent = await request(SendMessageDocument, {
    input: { relationshipId: first.id, body: 'Hello!', clientMessageId: 'm-1' },
  });
  // @ts-expect-error the variables are checked against the operation's own
  await request(AcceptAgreementDocument, { relationshipId: first.id });
  return `${accepted.acceptAgreement.status} ${accepted.acceptAgreement.startsOn} ${sent.sendMessage.cursor}`;
}
