/**
 * Synthetic CyberTipline documents that use every element and attribute of the schema, generated
 * from the XSD descriptor (not written by hand), for round-trip tests, fuzzing seeds and demos.
 * Values are fake and benign: faker names, example.com addresses, documentation IP ranges
 * (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32), fictional 555-01xx phone
 * numbers, random hex for hashes. The same seed always gives the same document; the seed also
 * decides which branch of each XSD choice is taken (repeated choices, such as internetDetails,
 * take every branch once, starting at a seed-dependent one).
 *
 * @example
 *   const report = sampleReportUsingEverything(7);
 *   reportInputSchema.parse(report); // passes, rules included
 */
import { Faker, base, da, en } from '@faker-js/faker';
import { cybertipDescriptor, type CyberTipFileDetails, type CyberTipReport } from './cybertip.generated.js';
import type { CybertipDocuments, CybertipRoot } from './cybertip-xml.js';
import {
  builtinOf,
  isRepeated,
  type ComplexTypeDescriptor,
  type ElementDescriptor,
} from './xsd-descriptor.js';

/** Text that exercises XML escaping: markup characters, a CDATA terminator, CR/LF, tabs, edge spaces, non-ASCII. */
const trickyText = '  Notes & <tags> "quoted" \'single\' ]]> æøå Ω 😀\ttab\r\nsecond line  ';

const hashKinds = [
  { hashType: 'MD5', length: 32 },
  { hashType: 'SHA1', length: 40 },
  { hashType: 'SHA256', length: 64 },
  { hashType: 'PDQ', length: 64 },
] as const;

class SampleBuilder {
  private readonly faker: Faker;
  private counter = 0;

  constructor(private readonly seed: number) {
    this.faker = new Faker({ locale: [da, en, base], seed });
  }

  /** A rotating index so enumerations and booleans take many values across one document. */
  private next(modulo: number): number {
    return (this.seed + this.counter++) % modulo;
  }

  private hex(length: number): string {
    return this.faker.string.hexadecimal({ length, casing: 'lower', prefix: '' });
  }

  private dateTime(): string {
    const d = this.faker.date.between({ from: '2023-01-01T00:00:00Z', to: '2025-12-31T23:59:59Z' });
    const iso = d.toISOString(); // 2024-05-06T07:08:09.123Z
    switch (this.next(4)) {
      case 0:
        return iso.replace(/\.\d{3}Z$/, 'Z');
      case 1:
        return iso;
      case 2:
        return iso.replace(/\.\d{3}Z$/, '+01:00');
      default:
        return iso.replace(/\.\d{3}Z$/, '-06:00');
    }
  }

  private ip(): string {
    const n = this.faker.number.int({ min: 1, max: 254 });
    return [`192.0.2.${n}`, `198.51.100.${n}`, `203.0.113.${n}`, `2001:db8::${n.toString(16)}`][this.next(4)];
  }

  private text(): string {
    return this.next(3) === 0 ? `${this.faker.lorem.sentence()}${trickyText}` : this.faker.lorem.sentences(2);
  }

  private stringFor(name: string, xsdType: string | undefined, parent: string): string {
    const f = this.faker;
    if (xsdType === 'text' || xsdType === 'content') return this.text();
    switch (name) {
      case 'firstName':
        return f.person.firstName();
      case 'middleName':
        return f.person.middleName();
      case 'lastName':
        return f.person.lastName();
      case 'email':
      case 'emailAddress':
        return f.internet.email({ provider: 'example.com' }).toLowerCase();
      case 'phone':
      case 'phoneNumber':
        return `202-555-01${String(f.number.int({ min: 0, max: 99 })).padStart(2, '0')}`;
      case 'url':
      case 'profileUrl':
      case 'legalURL':
      case 'locationOfFile':
        return `https://example.com/${f.string.alphanumeric(8).toLowerCase()}`;
      case 'ipAddress':
        return this.ip();
      case 'address':
        return f.location.streetAddress();
      case 'city':
        return f.location.city();
      case 'zipCode':
        return f.location.zipCode();
      case 'nonUsaState':
      case 'region':
        return f.location.state();
      case 'screenName':
      case 'displayName':
        return f.internet.username();
      case 'espIdentifier':
        return `u-${f.string.numeric(9)}`;
      case 'groupIdentifier':
        return `g-${f.string.numeric(6)}`;
      case 'espService':
      case 'platform':
        return f.helpers.arrayElement(['ExampleChat', 'ExamplePhotos', 'ExampleVideo', 'ExampleForum']);
      case 'agencyName':
        return `${f.location.city()} Example Police Department`;
      case 'caseNumber':
        return `CASE-${f.string.numeric(6)}`;
      case 'schoolName':
        return `${f.location.city()} Example School`;
      case 'idType':
        return f.helpers.arrayElement(['IMEI', 'ICCID', 'IDFA', 'MAC']);
      case 'idValue':
        return f.string.numeric(15);
      case 'fileName':
      case 'originalFileName':
        return `synthetic-gradient-${f.string.numeric(4)}.png`;
      case 'fileNames':
        return `synthetic-shapes-${f.string.numeric(3)}.png, synthetic-noise-${f.string.numeric(3)}.png`;
      case 'chatClient':
      case 'client':
        return f.helpers.arrayElement(['ExampleChat Desktop', 'ExampleShare 2.1']);
      case 'chatRoomName':
        return `room-${f.word.noun()}`;
      case 'gameName':
        return `Example ${f.word.adjective()} Game`;
      case 'console':
        return f.helpers.arrayElement(['ExampleBox', 'ExampleStation']);
      case 'locationName':
        return `${f.location.city()} library`;
      case 'vehicleDescription':
        return `${f.color.human()} ${f.vehicle.type()}`;
      case 'escalateToHighPriority':
        return 'Synthetic test report: escalation reason text';
      case 'fileId':
      case 'hash':
        return this.hex(32);
      case 'responseDescription':
        return 'Success';
      case 'value':
        if (parent === 'nameValue') return f.lorem.word();
        break;
      case 'name':
        if (parent === 'nameValue')
          return f.helpers.arrayElement(['Make', 'Model', 'Software', 'DateTimeOriginal']);
        return `alt.example.${f.word.noun()}`;
    }
    return f.lorem.words(3);
  }

  private simpleValue(name: string, typeRef: string, xsdType: string | undefined, parent: string): unknown {
    const simple = cybertipDescriptor.simpleTypes[typeRef];
    if (simple?.enumeration) {
      // Every filled file is classified, and the rules allow that only on "Reported" files.
      if (name === 'fileRelevance') return 'Reported';
      const values = simple.enumeration.filter((v) => v !== '');
      return values[this.next(values.length)];
    }
    if (typeRef === 'phoneCountryCallingCode') return ['+1', '+45', '+44', '+49'][this.next(4)];
    if (typeRef === 'phoneExtension') return this.faker.string.numeric(3);
    switch (builtinOf(cybertipDescriptor, typeRef)) {
      case 'xs:boolean':
        // exifViewedByEsp may be true, and then the rules need fileViewedByEsp true.
        return name === 'fileViewedByEsp' ? true : this.next(2) === 0;
      case 'xs:int':
        if (name === 'port') return this.faker.internet.port();
        if (name === 'age' || name === 'approximateAge') return this.faker.number.int({ min: 10, max: 70 });
        if (name === 'responseCode') return 0;
        return this.faker.number.int({ min: 1, max: 10_000 });
      case 'xs:long':
      case 'xs:integer':
        return this.faker.number.int({ min: 1_000_000, max: 999_999_999 });
      case 'xs:double':
        return name === 'longitude'
          ? this.faker.number.float({ min: -180, max: 180, fractionDigits: 4 })
          : this.faker.number.float({ min: -90, max: 90, fractionDigits: 4 });
      case 'xs:dateTime':
        return this.dateTime();
      case 'xs:date':
        return this.faker.date.birthdate({ mode: 'age', min: 18, max: 70 }).toISOString().slice(0, 10);
      case 'xs:token':
      case 'xs:string':
        return this.stringFor(name, xsdType, parent);
    }
  }

  element(e: ElementDescriptor, parent: string): unknown {
    if (!isRepeated(e)) return this.single(e, parent, 0);
    const type = e.kind === 'complex' ? cybertipDescriptor.complexTypes[e.type] : undefined;
    const widestChoice = Math.max(
      0,
      ...(type?.particles ?? []).map((p) => (p.kind === 'choice' ? p.options.length : 0)),
    );
    const count = Math.min(Math.max(2, widestChoice, e.minOccurs), e.maxOccurs ?? Infinity);
    return Array.from({ length: count }, (_, i) => this.single(e, parent, i));
  }

  private single(e: ElementDescriptor, parent: string, index: number): unknown {
    switch (e.kind) {
      case 'flag':
        return true;
      case 'value':
        return this.simpleValue(e.name, e.type, e.xsdType, parent);
      case 'textWithAttributes':
      case 'complex': {
        const type = cybertipDescriptor.complexTypes[e.type];
        if (!type) throw new Error(`Descriptor has no complex type ${e.type}`);
        return this.object(type, index, e.name);
      }
    }
  }

  private object(type: ComplexTypeDescriptor, index: number, elementName: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (type.name === 'hash') {
      const kind = hashKinds[(this.seed + index) % hashKinds.length];
      return { value: this.hex(kind.length), hashType: kind.hashType };
    }
    if (type.model === 'text')
      out.value = this.simpleValue(elementName, type.text ?? 'xs:string', undefined, type.name);
    for (const p of type.particles) {
      if (p.kind === 'element') {
        out[p.element.name] = this.element(p.element, type.name);
      } else {
        const option = p.options[(this.seed + index) % p.options.length];
        out[option.name] = this.single(option, type.name, index);
      }
    }
    for (const a of type.attributes) out[a.name] = this.simpleValue(a.name, a.type, undefined, type.name);
    return out;
  }
}

/** A synthetic document of any CyberTipline type with every element and attribute filled. */
export function sampleCybertipDocument<R extends CybertipRoot>(root: R, seed: number): CybertipDocuments[R] {
  const element = cybertipDescriptor.elements[root];
  if (!element) throw new Error(`Descriptor has no element ${root}`);
  return new SampleBuilder(seed).element(element, '') as CybertipDocuments[R];
}

/** A synthetic report using every element and attribute of the schema; valid under reportInputSchema. */
export function sampleReportUsingEverything(seed: number): CyberTipReport {
  return sampleCybertipDocument('report', seed);
}

/** Synthetic file details using every element and attribute; valid under fileDetailsInputSchema. */
export function sampleFileDetailsUsingEverything(seed: number): CyberTipFileDetails {
  return sampleCybertipDocument('fileDetails', seed);
}
