// Cloud region → ISO 3166-1 country, for 国内でのデータ保管 (data-in-japan). Only regions whose country is
// certain are listed; an unknown region yields no location fact (reported, never guessed).
const AWS: Record<string, string> = {
  'ap-northeast-1': 'JP', // 東京
  'ap-northeast-3': 'JP', // 大阪
  'ap-northeast-2': 'KR',
  'ap-east-1': 'HK',
  'ap-south-1': 'IN',
  'ap-south-2': 'IN',
  'ap-southeast-1': 'SG',
  'ap-southeast-2': 'AU',
  'ap-southeast-3': 'ID',
  'ap-southeast-4': 'AU',
  'ca-central-1': 'CA',
  'eu-central-1': 'DE',
  'eu-central-2': 'CH',
  'eu-west-1': 'IE',
  'eu-west-2': 'GB',
  'eu-west-3': 'FR',
  'eu-north-1': 'SE',
  'eu-south-1': 'IT',
  'eu-south-2': 'ES',
  'sa-east-1': 'BR',
  'me-south-1': 'BH',
  'me-central-1': 'AE',
  'af-south-1': 'ZA',
  'il-central-1': 'IL',
};

const AZURE: Record<string, string> = {
  japaneast: 'JP', // 東日本
  japanwest: 'JP', // 西日本
  koreacentral: 'KR',
  koreasouth: 'KR',
  eastasia: 'HK',
  southeastasia: 'SG',
  australiaeast: 'AU',
  centralindia: 'IN',
  westeurope: 'NL',
  northeurope: 'IE',
  uksouth: 'GB',
  germanywestcentral: 'DE',
  francecentral: 'FR',
  canadacentral: 'CA',
  brazilsouth: 'BR',
};

export function countryOfRegion(region: string): { country: string; provider: string } | undefined {
  const r = region.trim();
  if (AWS[r]) return { country: AWS[r], provider: 'AWS' };
  if (/^(us|us-gov)-/.test(r)) return { country: 'US', provider: 'AWS' };
  const az = r.toLowerCase().replace(/\s+/g, '');
  if (AZURE[az]) return { country: AZURE[az], provider: 'Azure' };
  if (/^(east|west|central|northcentral|southcentral|westcentral)us\d?$/.test(az))
    return { country: 'US', provider: 'Azure' };
  return undefined;
}
