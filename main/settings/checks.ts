import { BlockList, isIP } from 'node:net';
import { posix, win32 } from 'node:path';

/*
 * What a folder or a scanner address must be before main stores or uses it, whatever the OS: the
 * rules are the same on every PC of the office, so a config.json copied between them means the same.
 */

/**
 * Why a setting's value is refused: `reason` is what the renderer words for the clerk (with `host`
 * where it helps); `message` the same in Italian, for the log.
 */
export interface SettingProblem<Reason extends string> {
  reason: Reason;
  message: string;
  host?: string;
}

export type FolderProblemReason = 'empty' | 'invalid' | 'network' | 'relative';

/**
 * Why `path` cannot be a folder of the app (archive, watched scans); null when it can.
 * Network paths (`\\server\share`, `//server/share`) are refused: on Windows opening one sends the
 * clerk's NTLM hash to that host, and outputs would leave the PC. Relative paths would depend on
 * the folder the app was started from.
 */
export function folderProblem(path: string): SettingProblem<FolderProblemReason> | null {
  const trimmed = path.trim();
  if (!trimmed) return { reason: 'empty', message: 'Scegliete una cartella' };
  if (trimmed.includes('\0')) return { reason: 'invalid', message: 'Percorso della cartella non valido' };
  if (/^[\\/]{2}/.test(trimmed)) {
    return {
      reason: 'network',
      message:
        'Le cartelle di rete (\\\\server\\condivisione) non sono ammesse: scegliete una cartella di questo computer',
    };
  }
  const driveAbsolute = /^[a-z]:[\\/]/i.test(trimmed) && win32.isAbsolute(trimmed);
  const posixAbsolute = posix.isAbsolute(trimmed) && !trimmed.includes('\\');
  if (!driveAbsolute && !posixAbsolute) {
    return {
      reason: 'relative',
      message:
        'Indicate la cartella con il percorso completo (ad esempio C:\\Archivio o /home/ufficio/Archivio)',
    };
  }
  return null;
}

/** Private (RFC 1918, RFC 4193) and link-local (RFC 3927, RFC 4291) networks: the office's LAN. */
const LOCAL_NETWORKS = (() => {
  const list = new BlockList();
  list.addSubnet('10.0.0.0', 8, 'ipv4');
  list.addSubnet('172.16.0.0', 12, 'ipv4');
  list.addSubnet('192.168.0.0', 16, 'ipv4');
  list.addSubnet('169.254.0.0', 16, 'ipv4');
  list.addSubnet('fc00::', 7, 'ipv6');
  list.addSubnet('fe80::', 10, 'ipv6');
  return list;
})();

export type ScannerAddressReason = 'invalid' | 'protocol' | 'credentials' | 'host_name' | 'not_local';

/**
 * Why `url` cannot be a network scanner's address; null when it can. Only an IP address on the
 * office's own network: main sends requests there, and a host name could be made to point anywhere
 * (a way for a compromised page to send data out around the page's connect-src).
 */
export function scannerAddressProblem(url: string): SettingProblem<ScannerAddressReason> | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { reason: 'invalid', message: `Indirizzo dello scanner non valido: ${url}` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { reason: 'protocol', message: 'L’indirizzo dello scanner deve iniziare con http:// o https://' };
  if (parsed.username || parsed.password)
    return { reason: 'credentials', message: 'L’indirizzo dello scanner non può contenere credenziali' };
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  if (family === 0) {
    return {
      reason: 'host_name',
      message:
        'Indicate lo scanner con il suo indirizzo IP nella rete dell’ufficio (ad esempio http://192.168.1.20/eSCL), non con un nome',
      host,
    };
  }
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host)?.[1];
  const local = mapped
    ? LOCAL_NETWORKS.check(mapped, 'ipv4')
    : LOCAL_NETWORKS.check(host, family === 4 ? 'ipv4' : 'ipv6');
  if (!local) {
    return {
      reason: 'not_local',
      message: `Lo scanner deve essere nella rete locale dell’ufficio (indirizzi 10.x, 172.16–31.x, 192.168.x o 169.254.x): ${host} non lo è`,
      host,
    };
  }
  return null;
}
