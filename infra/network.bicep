// The Container Apps environment's subnet, whose traffic out leaves from one static address: WeChat's API
// answers only the IP addresses on the Official Account's allow-list, and Container Apps' own outbound
// addresses may change. Deployed by main.bicep.

param resourceBaseName string
param location string

resource egressIp 'Microsoft.Network/publicIPAddresses@2024-05-01' = {
  name: '${resourceBaseName}-egress-ip'
  location: location
  sku: { name: 'Standard' }
  properties: { publicIPAllocationMethod: 'Static' }
}

resource nat 'Microsoft.Network/natGateways@2024-05-01' = {
  name: '${resourceBaseName}-nat'
  location: location
  sku: { name: 'Standard' }
  properties: { publicIpAddresses: [{ id: egressIp.id }] }
}

// A workload profiles environment needs a subnet of its own, delegated to it (at least /27).
resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${resourceBaseName}-vnet'
  location: location
  properties: {
    addressSpace: { addressPrefixes: ['10.40.0.0/16'] }
    subnets: [
      {
        name: 'apps'
        properties: {
          addressPrefix: '10.40.0.0/23'
          natGateway: { id: nat.id }
          delegations: [{ name: 'apps', properties: { serviceName: 'Microsoft.App/environments' } }]
        }
      }
    ]
  }
}

output appsSubnetId string = vnet.properties.subnets[0].id
output egressIp string = egressIp.properties.ipAddress
