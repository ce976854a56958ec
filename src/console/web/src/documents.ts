import { graphql, type ResultOf } from './graphql.ts';

export const ViewerQuery = graphql(`
  query ConsoleViewer {
    viewer {
      id
      username
      email
    }
  }
`);

export const SignIn = graphql(`
  mutation ConsoleSignIn($input: AdminLoginInput!) {
    adminLogin(input: $input) {
      admin {
        id
        username
        email
      }
      errors {
        field
        message
      }
    }
  }
`);

export const SignOut = graphql(`
  mutation ConsoleSignOut {
    adminLogout {
      loggedOut
    }
  }
`);

const IntegrationFields = graphql(`
  fragment IntegrationFields on Integration @_unmask {
    id
    name
    email
    status
    setupType
    lastUsedAt
    isSecure
    callbackUrl
    identityLinkUrl
    hasAccessToken
    resourceAccess
    resources
    createdAt
    updatedAt
    callbackDelivery {
      status
      attempts
      lastError
      updatedAt
    }
  }
`);

export const IntegrationsQuery = graphql(
  `
  query ConsoleIntegrations(
    $first: Int
    $after: String
    $filter: IntegrationFilter
    $orderBy: IntegrationOrder
  ) {
    integrations(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      insecureCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        ...IntegrationFields
      }
      configDrift {
        id
        name
        status
      }
    }
  }
`,
  [IntegrationFields],
);

export const IntegrationQuery = graphql(
  `
  query ConsoleIntegration($id: ID!) {
    integration(id: $id) {
      ...IntegrationFields
    }
  }
`,
  [IntegrationFields],
);

export const AclTreeQuery = graphql(`
  query ConsoleAclTree {
    aclResourcesFlat {
      id
      title
      parentId
      depth
    }
  }
`);

export const IntegrationCreate = graphql(`
  mutation ConsoleIntegrationCreate($input: IntegrationCreateInput!) {
    integrationCreate(input: $input) {
      integration { id name }
      errors { code field message }
    }
  }
`);

export const IntegrationUpdate = graphql(`
  mutation ConsoleIntegrationUpdate($id: ID!, $input: IntegrationUpdateInput!) {
    integrationUpdate(id: $id, input: $input) {
      integration { id name }
      errors { code field message }
    }
  }
`);

const CredentialsFields = graphql(`
  fragment CredentialsFields on IntegrationCredentials @_unmask {
    consumerKey
    consumerSecret
    accessToken
    accessTokenSecret
  }
`);

export const IntegrationActivate = graphql(
  `
  mutation ConsoleIntegrationActivate($id: ID!, $currentPassword: String!) {
    integrationActivate(id: $id, currentPassword: $currentPassword) {
      credentials { ...CredentialsFields }
      tokenExchange { identityLinkUrl expiresAt }
      integration { id status }
      errors { code field message }
    }
  }
`,
  [CredentialsFields],
);

export const IntegrationReauthorize = graphql(
  `
  mutation ConsoleIntegrationReauthorize($id: ID!, $currentPassword: String!) {
    integrationReauthorize(id: $id, currentPassword: $currentPassword) {
      credentials { ...CredentialsFields }
      tokenExchange { identityLinkUrl expiresAt }
      integration { id status }
      errors { code field message }
    }
  }
`,
  [CredentialsFields],
);

export const IntegrationCallbackRetry = graphql(
  `
  mutation ConsoleIntegrationCallbackRetry($id: ID!, $currentPassword: String!) {
    integrationCallbackRetry(id: $id, currentPassword: $currentPassword) {
      credentials { ...CredentialsFields }
      tokenExchange { identityLinkUrl expiresAt }
      integration { id status }
      errors { code field message }
    }
  }
`,
  [CredentialsFields],
);

export const IntegrationCredentialsReveal = graphql(
  `
  mutation ConsoleIntegrationCredentialsReveal($id: ID!, $currentPassword: String!) {
    integrationCredentialsReveal(id: $id, currentPassword: $currentPassword) {
      credentials { ...CredentialsFields }
      errors { code field message }
    }
  }
`,
  [CredentialsFields],
);

export const IntegrationDelete = graphql(`
  mutation ConsoleIntegrationDelete($id: ID!, $currentPassword: String!) {
    integrationDelete(id: $id, currentPassword: $currentPassword) {
      deletedId
      errors { code field message }
    }
  }
`);

export const SecuritySettingsQuery = graphql(`
  query ConsoleSecuritySettings {
    securitySettings {
      allowAnonymousGuestAccess
      allowAnonymousIntrospection
      allowHmacSha1
      allowIntegrationTokensAsBearer
      requireBodyHash
      updatedAt
      updatedBy { username }
    }
  }
`);

export const SecuritySettingsUpdate = graphql(`
  mutation ConsoleSecuritySettingsUpdate($input: SecuritySettingsUpdateInput!) {
    securitySettingsUpdate(input: $input) {
      securitySettings { updatedAt }
      errors { code field message }
    }
  }
`);

export const AuditLogQuery = graphql(`
  query ConsoleAuditLog($first: Int, $after: String, $filter: AuditLogFilter) {
    auditLog(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { endCursor hasNextPage }
      nodes {
        id
        action
        occurredAt
        adminUsername
        integrationId
        integrationName
        clientIp
        details
      }
    }
  }
`);

/** One row of the integrations grid, as the row's dialogs receive it. */
export type IntegrationRow = ResultOf<typeof IntegrationsQuery>['integrations']['nodes'][number];
