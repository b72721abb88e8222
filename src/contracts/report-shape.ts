/**
 * Structural views of a CyberTipline-shaped report: the parts that intake, triage and the
 * synthetic factories read. Any object with the CyberTipline JSON shape (see
 * cybertip.generated.ts) fits.
 */
export type TextValue = string | { value: string };
export interface PersonLike {
  firstName?: string;
  lastName?: string;
  phone?: TextValue[];
  email?: TextValue[];
  address?: { country?: string }[];
  age?: number;
  dateOfBirth?: string;
}
export interface IpEventLike {
  ipAddress: string;
  eventName?: string;
  dateTime?: string;
  possibleProxy?: boolean;
  port?: number;
}
export interface DeviceIdLike {
  idType: string;
  idValue: string;
}
export interface PartyLike {
  espIdentifier?: string;
  espService?: string;
  screenName?: TextValue;
  displayName?: string[];
  profileUrl?: string[];
  ipCaptureEvent?: IpEventLike[];
  deviceId?: DeviceIdLike[];
  groupIdentifier?: string;
  estimatedLocation?: { countryCode?: string };
}
export interface FileLike {
  fileName?: string;
  size?: number;
  publiclyAvailable?: boolean;
  fileViewedByEsp?: boolean;
  industryClassification?: string;
  originalFileHash?: { value: string; hashType?: string }[];
  ipCaptureEvent?: IpEventLike;
  [key: string]: unknown;
}
export interface ReportLike {
  incidentSummary: { incidentType: string; incidentDateTime: string; escalateToHighPriority?: string };
  personOrUserReported?: (PartyLike & { personOrUserReportedPerson?: PersonLike })[];
  intendedRecipient?: (PartyLike & { intendedRecipientPerson?: PersonLike })[];
  victim?: (PartyLike & { victimPerson?: PersonLike })[];
  files?: FileLike[];
}
