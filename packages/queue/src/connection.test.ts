import { describe, expect, it } from 'vitest';
import {
  checkQueueName,
  describeAddress,
  maskUrl,
  parseRedisUrl,
  redisOptions,
} from './connection.js';
import { QueueNameError, RedisUrlError } from './errors.js';

describe('parseRedisUrl', () => {
  it('reads host, port, database, user and password', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380/2')).toEqual({
      host: '127.0.0.1',
      port: 6380,
      db: 2,
    });
    expect(parseRedisUrl('redis://:s%40cret@cache.internal')).toEqual({
      host: 'cache.internal',
      port: 6379,
      db: 0,
      password: 's@cret',
    });
    expect(parseRedisUrl('redis://app:pw@[::1]:7000')).toEqual({
      host: '::1',
      port: 7000,
      db: 0,
      username: 'app',
      password: 'pw',
    });
  });

  it('turns rediss:// into TLS with the host as server name', () => {
    expect(parseRedisUrl('rediss://:pw@redis.example.com:6380')).toEqual({
      host: 'redis.example.com',
      port: 6380,
      db: 0,
      password: 'pw',
      tls: { servername: 'redis.example.com' },
    });
  });

  it('names what is wrong, never showing the password', () => {
    const cases: [string, RegExp][] = [
      ['localhost:6379', /scheme must be redis: or rediss:/],
      ['http://h:1', /scheme must be redis: or rediss:, not http:/],
      ['redis://h:99999', /not a URL|bad port/],
      ['redis://h/x', /database number, not \/x/],
      ['not a url', /not a URL/],
    ];
    for (const [url, problem] of cases) {
      expect(() => parseRedisUrl(url), url).toThrow(problem);
      expect(() => parseRedisUrl(url)).toThrow(RedisUrlError);
    }
    const error = (() => {
      try {
        parseRedisUrl('redis://:hunter2@h/zz');
      } catch (e) {
        return e as RedisUrlError;
      }
    })();
    expect(error?.message).not.toContain('hunter2');
    expect(error?.url).toBe('redis://:***@h/zz');
  });
});

describe('connection helpers', () => {
  it('masks passwords and describes addresses', () => {
    expect(maskUrl('redis://u:p@h:1/0')).toBe('redis://u:***@h:1/0');
    expect(maskUrl('redis://h:1')).toBe('redis://h:1');
    expect(describeAddress(redisOptions('redis://h:7'))).toBe('h:7');
    expect(describeAddress(redisOptions(new URL('redis://h')))).toBe('h:6379');
    expect(describeAddress(redisOptions({ host: 'x', port: 1 }))).toBe('x:1');
  });

  it('checks queue names', () => {
    expect(checkQueueName('gcd-v1.main_2')).toBe('gcd-v1.main_2');
    for (const bad of ['', 'a:b', 'two words', 'tab\t']) {
      expect(() => checkQueueName(bad), JSON.stringify(bad)).toThrow(QueueNameError);
    }
  });
});
