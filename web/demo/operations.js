// The contract's operations this page sends, copied verbatim from
// shared/contract/operations.graphql (tests/browser/test_demo_operations.py
// fails when they drift apart). Nothing else reaches the API.

export const Login = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { token user { id email displayName } }
}`;

export const Logout = `mutation Logout {
  logout
}`;

export const Viewer = `query Viewer {
  viewer {
    id
    email
    displayName
    mentorProfile { id completeness { percent isComplete missingFields } }
    menteeProfile { id completeness { percent isComplete missingFields } }
  }
}`;

export const MyRelationships = `query MyRelationships($status: [RelationshipStatus!]) {
  myRelationships(status: $status) {
    id status viewerRole createdAt startsOn endsOn unreadCount
    mentor { id displayName }
    mentee { id displayName }
    agreement { id version status goals topics cadence channels startsOn endsOn }
    lastMessage { id body sentAt sender { id } }
  }
}`;

export const Conversation = `query Conversation($relationshipId: ID!, $last: Int, $before: String) {
  relationship(id: $relationshipId) {
    id status
    messages(last: $last, before: $before) {
      pageInfo { hasPreviousPage startCursor }
      edges { cursor node { id body sentAt cursor sender { id displayName } } }
    }
  }
}`;

export const SendMessage = `mutation SendMessage($input: SendMessageInput!) {
  # SendMessageInput { relationshipId: ID!, body: String!, clientMessageId: String }
  sendMessage(input: $input) { id body sentAt cursor clientMessageId sender { id } }
}`;

export const MarkRead = `mutation MarkRead($relationshipId: ID!, $upTo: String!) {
  markMessagesRead(relationshipId: $relationshipId, upTo: $upTo) { id unreadCount }
}`;

export const MessageAdded = `subscription MessageAdded($relationshipId: ID!, $after: String) {
  messageAdded(relationshipId: $relationshipId, after: $after) {
    id body sentAt cursor clientMessageId sender { id }
  }
}`;

export const ViewerEvents = `subscription ViewerEvents {
  viewerEvents {
    id
    kind
    relationship { id status }
    at
  }
}`;

export const Workspace = `query Workspace($relationshipId: ID!) {
  relationship(id: $relationshipId) {
    id status
    actionSteps { id title notes dueOn doneAt owner { id } createdBy { id } }
    meetings {
      id startsAt durationMinutes channel location status agenda
      proposedBy { id }
    }
  }
}`;

export const AddActionStep = `mutation AddActionStep($input: ActionStepInput!) {
  # ActionStepInput { relationshipId: ID!, title: String!, notes: String,
  #   dueOn: Date, ownerId: ID }   (ownerId: a participant's Member id; default the viewer)
  addActionStep(input: $input) { id title notes dueOn doneAt owner { id } createdBy { id } }
}`;

export const UpdateActionStep = `mutation UpdateActionStep($input: ActionStepUpdateInput!) {
  # ActionStepUpdateInput { id: ID!, title: String, notes: String, dueOn: Date,
  #   ownerId: ID, done: Boolean }   (partial update)
  updateActionStep(input: $input) { id title notes dueOn doneAt owner { id } }
}`;
