import type { AuthorityStatus, CertificateResourceKind, CertificateStatus } from '@meshdeck/domain';
import { prepare, type Db } from '../db/open-db.ts';

export type { AuthorityStatus, CertificateResourceKind, CertificateStatus };

export interface CertificateAuthorityRecord {
  id: string;
  compartmentId: string;
  name: string;
  meshId: string | null;
  status: AuthorityStatus;
  validityDays: number;
  /** Leaves it signs live at most this many days, whatever their maximumValidity asks. */
  maxLeafValidity: number;
  serialNumber: string | null;
  notBefore: string | null;
  notAfter: string | null;
  certificatePem: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CertificateRecord {
  id: string;
  meshId: string;
  caId: string;
  resourceKind: CertificateResourceKind;
  resourceId: string;
  commonName: string;
  dnsNames: string[];
  maximumValidity: number;
  status: CertificateStatus;
  currentVersion: number | null;
  /** renewAt and notAfter of the current version. */
  renewAt: string | null;
  notAfter: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  failedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A stored version without its private key (which only the issuer ever reads). */
export interface CertificateVersionRecord {
  certificateId: string;
  version: number;
  /** The renewAt this version answered; '' for the first issue. */
  dueAt: string;
  serialNumber: string;
  issuedAt: string;
  notBefore: string;
  notAfter: string;
  renewAt: string;
  cappedByCa: boolean;
  certificatePem: string;
  createdAt: string;
}

export interface NewCertificateVersion extends CertificateVersionRecord {
  sealedPrivateKey: string;
}

type Row = Record<string, unknown>;

const str = (v: unknown): string | null => (v as string | null) ?? null;

function authorityFromRow(row: Row): CertificateAuthorityRecord {
  return {
    id: row.id as string,
    compartmentId: row.compartment_id as string,
    name: row.name as string,
    meshId: str(row.mesh_id),
    status: row.status as AuthorityStatus,
    validityDays: row.validity_days as number,
    maxLeafValidity: row.max_leaf_validity as number,
    serialNumber: str(row.serial_number),
    notBefore: str(row.not_before),
    notAfter: str(row.not_after),
    certificatePem: str(row.certificate_pem),
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  };
}

function certificateFromRow(row: Row): CertificateRecord {
  return {
    id: row.id as string,
    meshId: row.mesh_id as string,
    caId: row.ca_id as string,
    resourceKind: row.resource_kind as CertificateResourceKind,
    resourceId: row.resource_id as string,
    commonName: row.common_name as string,
    dnsNames: JSON.parse(row.dns_names as string) as string[],
    maximumValidity: row.maximum_validity as number,
    status: row.status as CertificateStatus,
    currentVersion: (row.current_version as number | null) ?? null,
    renewAt: str(row.renew_at),
    notAfter: str(row.not_after),
    failureCode: str(row.failure_code),
    failureMessage: str(row.failure_message),
    failedAt: str(row.failed_at),
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  };
}

const VERSION_COLUMNS = `certificate_id, version, due_at, serial_number, issued_at, not_before,
  not_after, renew_at, capped_by_ca, certificate_pem, created_at`;

function versionFromRow(row: Row): CertificateVersionRecord {
  return {
    certificateId: row.certificate_id as string,
    version: row.version as number,
    dueAt: row.due_at as string,
    serialNumber: row.serial_number as string,
    issuedAt: row.issued_at as string,
    notBefore: row.not_before as string,
    notAfter: row.not_after as string,
    renewAt: row.renew_at as string,
    cappedByCa: row.capped_by_ca === 1,
    certificatePem: row.certificate_pem as string,
    createdAt: row.created_at as string,
  };
}

export interface MeshCertificateCounts {
  total: number;
  active: number;
  pending: number;
  failed: number;
  external: number;
  nextRenewalAt: string | null;
}

/**
 * SQL for CAs, certificates and their versions; rows in, records out (snake_case stays here).
 * Private keys go in sealed and come out only through the `sealed…` readers the issuer uses.
 */
export interface CertificateRepository {
  getAuthority(id: string): CertificateAuthorityRecord | undefined;
  listAuthorities(): CertificateAuthorityRecord[];
  insertAuthority(
    ca: CertificateAuthorityRecord & { sealedPrivateKey: string | null },
  ): CertificateAuthorityRecord;
  /** PENDING → ACTIVE with its certificate; false when another run got there first. */
  activateAuthority(
    id: string,
    fields: {
      serialNumber: string;
      notBefore: string;
      notAfter: string;
      certificatePem: string;
      sealedPrivateKey: string;
      updatedAt: string;
    },
  ): boolean;
  sealedAuthorityKey(id: string): string | undefined;

  get(id: string): CertificateRecord | undefined;
  listByMesh(meshId: string): CertificateRecord[];
  listByResource(resourceId: string): CertificateRecord[];
  insert(cert: CertificateRecord): void;
  update(cert: CertificateRecord): void;
  meshCounts(meshId: string): MeshCertificateCounts;

  countVersions(certificateId: string): number;
  listVersions(certificateId: string): CertificateVersionRecord[];
  getVersion(certificateId: string, version: number): CertificateVersionRecord | undefined;
  insertVersion(version: NewCertificateVersion): void;
  deleteVersion(certificateId: string, version: number): boolean;
  /** Deletes every version but `keep`; returns how many went. */
  deleteVersionsExcept(certificateId: string, keep: number): number;
}

export function createCertificateRepository(db: Db): CertificateRepository {
  return {
    getAuthority(id) {
      const row = prepare(db, 'SELECT * FROM certificate_authorities WHERE id = ?').get(id) as
        Row | undefined;
      return row ? authorityFromRow(row) : undefined;
    },
    listAuthorities() {
      const rows = prepare(
        db,
        'SELECT * FROM certificate_authorities ORDER BY name, id',
      ).all() as Row[];
      return rows.map(authorityFromRow);
    },
    insertAuthority(ca) {
      prepare(
        db,
        `INSERT INTO certificate_authorities (id, compartment_id, name, mesh_id, status,
           validity_days, max_leaf_validity, serial_number, not_before, not_after,
           certificate_pem, private_key, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        ca.id,
        ca.compartmentId,
        ca.name,
        ca.meshId,
        ca.status,
        ca.validityDays,
        ca.maxLeafValidity,
        ca.serialNumber,
        ca.notBefore,
        ca.notAfter,
        ca.certificatePem,
        ca.sealedPrivateKey,
        ca.createdAt,
        ca.updatedAt,
      );
      const { sealedPrivateKey: _key, ...record } = ca;
      return record;
    },
    activateAuthority(id, f) {
      const info = prepare(
        db,
        `UPDATE certificate_authorities SET status = 'ACTIVE', serial_number = ?, not_before = ?,
           not_after = ?, certificate_pem = ?, private_key = ?, updated_at = ?
         WHERE id = ? AND status = 'PENDING'`,
      ).run(
        f.serialNumber,
        f.notBefore,
        f.notAfter,
        f.certificatePem,
        f.sealedPrivateKey,
        f.updatedAt,
        id,
      );
      return info.changes === 1;
    },
    sealedAuthorityKey(id) {
      return (
        (prepare(db, 'SELECT private_key FROM certificate_authorities WHERE id = ?')
          .pluck()
          .get(id) as string | null | undefined) ?? undefined
      );
    },

    get(id) {
      const row = prepare(db, 'SELECT * FROM certificates WHERE id = ?').get(id) as Row | undefined;
      return row ? certificateFromRow(row) : undefined;
    },
    listByMesh(meshId) {
      const rows = prepare(
        db,
        `SELECT * FROM certificates WHERE mesh_id = ? AND status != 'RETIRED'
         ORDER BY renew_at IS NULL, renew_at, common_name, id`,
      ).all(meshId) as Row[];
      return rows.map(certificateFromRow);
    },
    listByResource(resourceId) {
      const rows = prepare(
        db,
        'SELECT * FROM certificates WHERE resource_id = ? ORDER BY created_at',
      ).all(resourceId) as Row[];
      return rows.map(certificateFromRow);
    },
    insert(c) {
      prepare(
        db,
        `INSERT INTO certificates (id, mesh_id, ca_id, resource_kind, resource_id, common_name,
           dns_names, maximum_validity, status, current_version, renew_at, not_after,
           failure_code, failure_message, failed_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        c.id,
        c.meshId,
        c.caId,
        c.resourceKind,
        c.resourceId,
        c.commonName,
        JSON.stringify(c.dnsNames),
        c.maximumValidity,
        c.status,
        c.currentVersion,
        c.renewAt,
        c.notAfter,
        c.failureCode,
        c.failureMessage,
        c.failedAt,
        c.createdAt,
        c.updatedAt,
      );
    },
    update(c) {
      prepare(
        db,
        `UPDATE certificates SET common_name = ?, dns_names = ?, maximum_validity = ?, status = ?,
           current_version = ?, renew_at = ?, not_after = ?, failure_code = ?,
           failure_message = ?, failed_at = ?, updated_at = ?
         WHERE id = ?`,
      ).run(
        c.commonName,
        JSON.stringify(c.dnsNames),
        c.maximumValidity,
        c.status,
        c.currentVersion,
        c.renewAt,
        c.notAfter,
        c.failureCode,
        c.failureMessage,
        c.failedAt,
        c.updatedAt,
        c.id,
      );
    },
    meshCounts(meshId) {
      const row = prepare(
        db,
        `SELECT COUNT(*) AS total,
           COUNT(CASE WHEN status = 'ACTIVE' THEN 1 END) AS active,
           COUNT(CASE WHEN status = 'PENDING' THEN 1 END) AS pending,
           COUNT(CASE WHEN status = 'FAILED' THEN 1 END) AS failed,
           COUNT(CASE WHEN status = 'EXTERNAL' THEN 1 END) AS external,
           MIN(CASE WHEN status = 'ACTIVE' THEN renew_at END) AS next_renewal_at
         FROM certificates WHERE mesh_id = ? AND status != 'RETIRED'`,
      ).get(meshId) as Row;
      return {
        total: (row.total as number) ?? 0,
        active: (row.active as number | null) ?? 0,
        pending: (row.pending as number | null) ?? 0,
        failed: (row.failed as number | null) ?? 0,
        external: (row.external as number | null) ?? 0,
        nextRenewalAt: str(row.next_renewal_at),
      };
    },

    countVersions(certificateId) {
      return prepare(db, 'SELECT COUNT(*) FROM certificate_versions WHERE certificate_id = ?')
        .pluck()
        .get(certificateId) as number;
    },
    listVersions(certificateId) {
      const rows = prepare(
        db,
        `SELECT ${VERSION_COLUMNS} FROM certificate_versions WHERE certificate_id = ?
         ORDER BY version DESC`,
      ).all(certificateId) as Row[];
      return rows.map(versionFromRow);
    },
    getVersion(certificateId, version) {
      const row = prepare(
        db,
        `SELECT ${VERSION_COLUMNS} FROM certificate_versions
         WHERE certificate_id = ? AND version = ?`,
      ).get(certificateId, version) as Row | undefined;
      return row ? versionFromRow(row) : undefined;
    },
    insertVersion(v) {
      prepare(
        db,
        `INSERT INTO certificate_versions (certificate_id, version, due_at, serial_number,
           issued_at, not_before, not_after, renew_at, capped_by_ca, certificate_pem,
           private_key, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        v.certificateId,
        v.version,
        v.dueAt,
        v.serialNumber,
        v.issuedAt,
        v.notBefore,
        v.notAfter,
        v.renewAt,
        v.cappedByCa ? 1 : 0,
        v.certificatePem,
        v.sealedPrivateKey,
        v.createdAt,
      );
    },
    deleteVersion(certificateId, version) {
      return (
        prepare(
          db,
          'DELETE FROM certificate_versions WHERE certificate_id = ? AND version = ?',
        ).run(certificateId, version).changes === 1
      );
    },
    deleteVersionsExcept(certificateId, keep) {
      return prepare(
        db,
        'DELETE FROM certificate_versions WHERE certificate_id = ? AND version != ?',
      ).run(certificateId, keep).changes;
    },
  };
}
