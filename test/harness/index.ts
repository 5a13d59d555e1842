export * from './processes';
export * from './postgres';
export * from './redis';
export * from './sshd';
export * from './git-remote';
