// The bridge on Azure: web instances (WORKER=off) and a worker on Azure Container Apps, one image; an Azure Bot
// with the Teams channel; Cosmos DB and Blob Storage reached with a user-assigned managed identity (no keys);
// the secrets in Key Vault; logs in Log Analytics and Application Insights. infra/README.md says why each choice.
targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------
// Names and region
// ---------------------------------------------------------------------------------------------

@description('Prefix of every resource name: 3-16 lowercase letters and digits (storage, registry and vault names are global).')
@minLength(3)
@maxLength(16)
param resourceBaseName string

@description('Region of every resource (the Azure Bot is global).')
param location string = resourceGroup().location

@description('The Azure Bot\'s name as Teams admins see it.')
@maxLength(42)
param botDisplayName string = resourceBaseName

@description('The image both apps run. Empty on the first provision, before the registry exists: a placeholder runs until the first deploy.')
param containerImage string = ''

@description('Web instances at most (at least 1: WeChat wants its answer within 5 seconds, no cold start).')
@minValue(1)
@maxValue(30)
param webMaxReplicas int = 3

@description('Concurrent requests per web instance before another is added.')
param webConcurrentRequests int = 50

@description('Worker instances (each takes jobs from the shared storage; 1 is plenty for a small firm).')
@minValue(1)
@maxValue(10)
param workerReplicas int = 1

// ---------------------------------------------------------------------------------------------
// The app's settings (README, "Configuration"): names as the app reads them
// ---------------------------------------------------------------------------------------------

@description('The Official Account\'s AppID (WECHAT_APP_ID).')
param wechatAppId string

@description('Other settings that are not secrets, by the app\'s names, e.g. {"WECHAT_ORIGINAL_ID": "gh_…", "TEAMS_ADMINS": "…", "ARCHIVE_SMTP_HOST": "…"}. Secrets go in the @secure() parameters below, never here.')
param plainSettings object = {}

@secure()
@description('WECHAT_APP_SECRET')
param wechatAppSecret string
@secure()
@description('WECHAT_TOKEN')
param wechatToken string
@secure()
@description('WECHAT_ENCODING_AES_KEY (safe mode); empty: plaintext mode')
param wechatEncodingAesKey string = ''
@secure()
@description('WECHAT_ENCODING_AES_KEY_PREVIOUS, while a rotation settles')
param wechatEncodingAesKeyPrevious string = ''
@secure()
@description('PIN_KEY (phone validation)')
param pinKey string = ''
@secure()
@description('MEDIA_URL_KEY; empty: derived from the WeChat AppSecret')
param mediaUrlKey string = ''
@secure()
@description('TWILIO_AUTH_TOKEN')
param twilioAuthToken string = ''
@secure()
@description('ACS_CONNECTION_STRING')
param acsConnectionString string = ''
@secure()
@description('ARCHIVE_SMTP_PASSWORD')
param archiveSmtpPassword string = ''
@secure()
@description('MAIL_SMTP_PASSWORD')
param mailSmtpPassword string = ''
@secure()
@description('CRM_WEBHOOK_SECRET')
param crmWebhookSecret string = ''
@secure()
@description('SALESFORCE_CLIENT_SECRET')
param salesforceClientSecret string = ''
@secure()
@description('SPEECH_KEY (Azure AI Speech: voice notes WeChat gave no transcript of); empty: no transcription')
param speechKey string = ''

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

var port = 3978 // the Dockerfile's PORT
var healthPath = '/healthz' // app.py
var cosmosDatabaseName = 'wechat-bridge' // COSMOS_DATABASE's default
var cosmosContainers = ['jobs', 'threads', 'conversations', 'nonces', 'kv', 'records'] // core/storage.py CONTAINERS
// core/storage.py INDEXES of two fields or more, as composite indexes (adapters/storage/cosmos_indexes.py): the
// job sweep's query (status = 'pending' AND due_at <= now) is then served from the index, not by walking every job.
var cosmosCompositeIndexes = {
  jobs: [
    [{ path: '/status', order: 'ascending' }, { path: '/due_at', order: 'ascending' }]
    [{ path: '/status', order: 'ascending' }, { path: '/lease_until', order: 'ascending' }]
    [{ path: '/status', order: 'ascending' }, { path: '/lease_owner', order: 'ascending' }, { path: '/created_at', order: 'ascending' }]
    [{ path: '/status', order: 'ascending' }, { path: '/waiting_for', order: 'ascending' }]
  ]
  threads: [
    [{ path: '/teams_conversation_id', order: 'ascending' }, { path: '/status', order: 'ascending' }]
  ]
}
var mediaContainerName = 'media' // MEDIA_BLOB_CONTAINER's default
// The first provision, before the registry holds an image: Microsoft's quickstart image (port 80, no health
// route) stands in, without probes, until `atk deploy` deploys again with CONTAINER_IMAGE.
var placeholder = empty(containerImage)
var image = placeholder ? 'mcr.microsoft.com/k8se/quickstart:latest' : containerImage
var compactName = toLower(replace(resourceBaseName, '-', ''))

// Built-in roles the identity is given (ids are the same in every tenant).
var roles = {
  acrPull: '7f951dca-d9c5-4c1b-8a0a-1d7ad5d1a6ab'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  cosmosDataContributor: '00000000-0000-0000-0000-000000000002' // Cosmos DB Built-in Data Contributor (data plane)
}

// ---------------------------------------------------------------------------------------------
// Identity, monitoring
// ---------------------------------------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

// ---------------------------------------------------------------------------------------------
// Key Vault: every secret the app reads, referenced from the apps' settings
// ---------------------------------------------------------------------------------------------

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${compactName}-kv'
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// Setting name (as the app reads it) -> Key Vault secret name and value. Only those given are stored and set.
var secretSettings = [
  { env: 'WECHAT_APP_SECRET', name: 'wechat-app-secret', value: wechatAppSecret }
  { env: 'WECHAT_TOKEN', name: 'wechat-token', value: wechatToken }
  { env: 'WECHAT_ENCODING_AES_KEY', name: 'wechat-encoding-aes-key', value: wechatEncodingAesKey }
  { env: 'WECHAT_ENCODING_AES_KEY_PREVIOUS', name: 'wechat-encoding-aes-key-previous', value: wechatEncodingAesKeyPrevious }
  { env: 'PIN_KEY', name: 'pin-key', value: pinKey }
  { env: 'MEDIA_URL_KEY', name: 'media-url-key', value: mediaUrlKey }
  { env: 'TWILIO_AUTH_TOKEN', name: 'twilio-auth-token', value: twilioAuthToken }
  { env: 'ACS_CONNECTION_STRING', name: 'acs-connection-string', value: acsConnectionString }
  { env: 'ARCHIVE_SMTP_PASSWORD', name: 'archive-smtp-password', value: archiveSmtpPassword }
  { env: 'MAIL_SMTP_PASSWORD', name: 'mail-smtp-password', value: mailSmtpPassword }
  { env: 'CRM_WEBHOOK_SECRET', name: 'crm-webhook-secret', value: crmWebhookSecret }
  { env: 'SALESFORCE_CLIENT_SECRET', name: 'salesforce-client-secret', value: salesforceClientSecret }
  { env: 'SPEECH_KEY', name: 'speech-key', value: speechKey }
]
var secretsGiven = filter(secretSettings, s => !empty(s.value))

resource vaultSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for s in secretsGiven: {
  parent: vault
  name: s.name
  properties: { value: s.value }
}]

// Known only once Application Insights exists, so outside the table (whose length is known at the start).
var telemetrySecret = { env: 'APPLICATIONINSIGHTS_CONNECTION_STRING', name: 'appinsights-connection-string' }

resource telemetryVaultSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: telemetrySecret.name
  properties: { value: appInsights.properties.ConnectionString }
}

// Container Apps secrets that point into the vault, read with the identity; the apps' settings name them.
var vaultSecretNames = concat(map(secretsGiven, s => { env: s.env, name: s.name }), [telemetrySecret])
var appSecrets = [for s in vaultSecretNames: { name: s.name, keyVaultUrl: '${vault.properties.vaultUri}secrets/${s.name}', identity: identity.id }]
var secretEnv = [for s in vaultSecretNames: { name: s.env, secretRef: s.name }]

// ---------------------------------------------------------------------------------------------
// Cosmos DB for NoSQL: keys disabled, the identity's data-plane role
// ---------------------------------------------------------------------------------------------

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: '${compactName}-cosmos'
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    capabilities: [{ name: 'EnableServerless' }]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }]
  }
}

// The identity cannot create databases or containers through the data plane: they are made here.
resource cosmosDatabase 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: cosmos
  name: cosmosDatabaseName
  properties: { resource: { id: cosmosDatabaseName } }
}

resource cosmosContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [for name in cosmosContainers: {
  parent: cosmosDatabase
  name: name
  properties: {
    resource: {
      id: name
      partitionKey: { paths: ['/pk'], kind: 'Hash' }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/*' }]
        excludedPaths: [{ path: '/"_etag"/?' }]
        compositeIndexes: contains(cosmosCompositeIndexes, name) ? cosmosCompositeIndexes[name] : []
      }
    }
  }
}]

resource cosmosDataRole 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmos
  name: guid(cosmos.id, identity.id, roles.cosmosDataContributor)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${roles.cosmosDataContributor}'
    principalId: identity.properties.principalId
    scope: cosmos.id
  }
}

// ---------------------------------------------------------------------------------------------
// Blob Storage for media: private, HTTPS and TLS 1.2 only, no shared keys
// ---------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: '${compactName}media'
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource mediaContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: mediaContainerName
  properties: { publicAccess: 'None' }
}

// ---------------------------------------------------------------------------------------------
// The image's registry
// ---------------------------------------------------------------------------------------------

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: '${compactName}registry'
  location: location
  sku: { name: 'Basic' }
  properties: { adminUserEnabled: false }
}

// ---------------------------------------------------------------------------------------------
// The identity's roles (control plane): pull the image, read the secrets, read and write media
// ---------------------------------------------------------------------------------------------

resource registryPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: registry
  name: guid(registry.id, identity.id, roles.acrPull)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vaultRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource mediaReadWrite 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageBlobDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Network: one fixed outbound address for WeChat's IP allow-list (infra/network.bicep)
module network 'network.bicep' = {
  name: 'network'
  params: { resourceBaseName: resourceBaseName, location: location }
}

// ---------------------------------------------------------------------------------------------
// Container Apps: the web instances and the worker, one image
// ---------------------------------------------------------------------------------------------

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${resourceBaseName}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
    vnetConfiguration: {
      infrastructureSubnetId: network.outputs.appsSubnetId
      internal: false
    }
    workloadProfiles: [{ name: 'Consumption', workloadProfileType: 'Consumption' }]
  }
}

var webName = '${resourceBaseName}-web'
var botDomain = '${webName}.${environment.properties.defaultDomain}' // the web app's ingress address

// What both apps are told. MicrosoftApp*: the bot is the identity (UserAssignedMSI), no password.
// COSMOS_AUTH, AZURE_CLIENT_ID and MEDIA_BLOB_ACCOUNT_URL: Cosmos DB and Blob Storage as the identity, no keys.
var sharedEnv = concat([
  { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
  { name: 'MicrosoftAppId', value: identity.properties.clientId }
  { name: 'MicrosoftAppTenantId', value: tenant().tenantId }
  { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
  { name: 'BOT_DOMAIN', value: botDomain }
  { name: 'WECHAT_APP_ID', value: wechatAppId }
  { name: 'STORAGE', value: 'cosmos' }
  { name: 'COSMOS_ENDPOINT', value: cosmos.properties.documentEndpoint }
  { name: 'COSMOS_DATABASE', value: cosmosDatabaseName }
  { name: 'COSMOS_AUTH', value: 'identity' }
  { name: 'LOG_FORMAT', value: 'json' }
  { name: 'MEDIA_STORE', value: 'blob' }
  { name: 'MEDIA_BLOB_ACCOUNT_URL', value: storage.properties.primaryEndpoints.blob }
  { name: 'MEDIA_BLOB_CONTAINER', value: mediaContainerName }
], map(items(plainSettings), s => { name: s.key, value: string(s.value) }), secretEnv)

var webProbes = [
  { type: 'Startup', httpGet: { path: healthPath, port: port }, periodSeconds: 2, failureThreshold: 30 }
  { type: 'Liveness', httpGet: { path: healthPath, port: port }, periodSeconds: 10, failureThreshold: 3 }
  { type: 'Readiness', httpGet: { path: healthPath, port: port }, periodSeconds: 5, failureThreshold: 3 }
]
var registries = [{ server: registry.properties.loginServer, identity: identity.id }]
var identities = { type: 'UserAssigned', userAssignedIdentities: { '${identity.id}': {} } }

resource web 'Microsoft.App/containerApps@2024-03-01' = {
  name: webName
  location: location
  identity: identities
  dependsOn: [vaultRead, vaultSecrets, telemetryVaultSecret, registryPull, mediaReadWrite, cosmosDataRole, cosmosContainer, mediaContainer]
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: placeholder ? 80 : port
        transport: 'http'
        allowInsecure: false
      }
      registries: placeholder ? [] : registries
      secrets: appSecrets
    }
    template: {
      containers: [
        {
          name: 'web'
          image: image
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: concat(sharedEnv, [{ name: 'WORKER', value: 'off' }])
          probes: placeholder ? [] : webProbes
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: webMaxReplicas
        rules: [{ name: 'http', http: { metadata: { concurrentRequests: string(webConcurrentRequests) } } }]
      }
    }
  }
}

// No ingress and so no HTTP probe: worker.py serves nothing; Container Apps restarts it if it exits.
resource worker 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${resourceBaseName}-worker'
  location: location
  identity: identities
  dependsOn: [vaultRead, vaultSecrets, telemetryVaultSecret, registryPull, mediaReadWrite, cosmosDataRole, cosmosContainer, mediaContainer]
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      registries: placeholder ? [] : registries
      secrets: appSecrets
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: image
          command: placeholder ? [] : ['python', 'worker.py']
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: sharedEnv
        }
      ]
      scale: {
        minReplicas: workerReplicas
        maxReplicas: workerReplicas
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The Azure Bot: the identity is its app (no client secret), Teams its channel
// ---------------------------------------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'F0' } // Teams is a standard channel: free at any volume
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botDomain}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenant().tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs (the Agents Toolkit writes them to env/.env.<environment> in upper case)
// ---------------------------------------------------------------------------------------------

output BOT_DOMAIN string = botDomain
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = tenant().tenantId
output IDENTITY_CLIENT_ID string = identity.properties.clientId
output EGRESS_IP string = network.outputs.egressIp
output REGISTRY_LOGIN_SERVER string = registry.properties.loginServer
output WEB_APP_NAME string = web.name
output WORKER_APP_NAME string = worker.name
