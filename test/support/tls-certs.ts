/*
 * Real certificates for TLS tests, made with the openssl command (Debian's postgresql brings it
 * through ssl-cert): an office CA, and a server certificate it signs for the names given. Another
 * call makes another CA: the one a counter must not trust.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Ca {
  certFile: string;
  keyFile: string;
  cert: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA and the server certificate it signs for `altNames` (e.g. ["IP:127.0.0.1"]). */
export function makeServerCert(
  dir: string,
  ca: string,
  altNames: string[],
): { ca: Ca; cert: string; key: string } {
  const caKey = join(dir, `${ca}.key`);
  const caCert = join(dir, `${ca}.crt`);
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${ca} test CA`,
      '-keyout',
      caKey,
      '-out',
      caCert,
    ],
    dir,
  );
  const key = join(dir, `${ca}-server.key`);
  const csr = join(dir, `${ca}-server.csr`);
  const cert = join(dir, `${ca}-server.crt`);
  const ext = join(dir, `${ca}-server.ext`);
  writeFileSync(ext, `subjectAltName = ${altNames.join(', ')}\n`);
  openssl(
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      '/CN=register',
      '-keyout',
      key,
      '-out',
      csr,
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      caCert,
      '-CAkey',
      caKey,
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      ext,
      '-out',
      cert,
    ],
    dir,
  );
  return {
    ca: { certFile: caCert, keyFile: caKey, cert: readFileSync(caCert, 'utf8') },
    cert: readFileSync(cert, 'utf8'),
    key: readFileSync(key, 'utf8'),
  };
}
