/**
 * File systems that hold no logs and must not be walked: /proc alone reaches the whole root file
 * system again through /proc/<pid>/cwd and /proc/<pid>/root (a link into /proc once walked 77,000
 * files for 89 s). Known by statfs's magic number; devtmpfs shares tmpfs's, so /dev is also
 * known by where it is.
 */
import { promises as fsp } from 'node:fs';
import type { FsPath } from './file-path';

const PSEUDO: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x6165676c, 'pstore'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0xf97cff8c, 'selinuxfs'],
  [0xde5e81e4, 'efivarfs'],
  [0x42494e4d, 'binfmt_misc'],
  [0x19800202, 'mqueue'],
  [0x65735543, 'fusectl'],
  [0x6e736673, 'nsfs'],
]);

/** The pseudo file system a folder is on ('proc', 'devtmpfs', …), or undefined for a real one. */
export async function pseudoFileSystem(dir: FsPath): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    const { type } = await fsp.statfs(dir);
    const name = PSEUDO.get(type);
    if (name) return name;
    const real = await fsp.realpath(dir);
    if (real === '/dev' || real.startsWith('/dev/')) return 'devtmpfs';
  } catch {
    // not knowable: walk it as usual; readdir reports what fails
  }
  return undefined;
}
