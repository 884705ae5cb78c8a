import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** A thread's scheduling as Linux reports it: nice (field 19 of /proc stat) and policy (field 41; 0 normal, 3 SCHED_BATCH). */
export interface ThreadScheduling {
  nice: number;
  policy: number;
}

/** The scheduling in a /proc/…/stat line (the fields after the parenthesised name, which may hold spaces). */
export function schedulingOfStat(stat: string): ThreadScheduling {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { nice: Number(fields[16]), policy: Number(fields[38]) };
}

/** The calling thread's scheduling. */
export function ownScheduling(): ThreadScheduling {
  return schedulingOfStat(readFileSync('/proc/thread-self/stat', 'utf8'));
}

/** The scheduling of each of this process's threads named `name`. */
export function threadsNamed(name: string): ThreadScheduling[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      return []; // the thread ended meanwhile
    }
    return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === name ? [schedulingOfStat(stat)] : [];
  });
}

/** util-linux's chrt, through which the query lane is put under SCHED_BATCH; CI has it (Debian), elsewhere its absence skips tests. */
export const hasChrt = spawnSync('chrt', ['--help'], { stdio: 'ignore' }).status === 0;
