import { ToggleSection } from './fields';
import type { SectionProps } from './section-props';

/** The profile's Redis: where, database, ACL user, password and TLS. */
export function RedisSection({ draft, update, profile, text }: SectionProps) {
  return (
    <ToggleSection label="Redis" flag="redisEnabled" draft={draft} update={update}>
      {text('Host (as seen from the last hop)', 'redisHost', 'redis.host')}
      {text('Port', 'redisPort', 'redis.port')}
      {text('Database number', 'redisDb', 'redis.db')}
      {text('ACL user (optional)', 'redisUsername', 'redis.username')}
      {text('Password', 'redisPassword', '', {
        type: 'password',
        placeholder: profile?.secrets.redisPassword ? 'stored — type to replace' : '',
      })}
      <label>
        <input type="checkbox" checked={draft.redisTls} onChange={(e) => update({ redisTls: e.target.checked })} /> TLS
      </label>
    </ToggleSection>
  );
}
