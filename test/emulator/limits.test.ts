import { describe, expect, it } from 'vitest';
import {
  attachmentCountProblems,
  attachmentSizeProblems,
  LIMITS,
  messageLimitProblems,
  modalLimitProblems,
} from '../support/discord/limits.js';
import { NO_PINGS, type PingRules, pingsOf } from '../support/discord/mentions.js';
import { requestBodyProblems } from '../support/discord/validation.js';

const button = (customId: string, label = 'Go') => ({ type: 2, style: 1, custom_id: customId, label });
const row = (...components: object[]) => ({ type: 1, components });
const textInput = (customId: string, extra: object = {}) => ({ type: 4, custom_id: customId, style: 1, ...extra });

describe('documented message limits', () => {
  it('accepts a message at every limit', () => {
    const embed = { title: 't'.repeat(256), description: 'd'.repeat(4096), footer: { text: 'f'.repeat(1000) } };
    expect(messageLimitProblems({ content: 'c'.repeat(2000), embeds: [embed] })).toEqual([]);
  });

  it('finds each embed limit', () => {
    const fields = Array.from({ length: 26 }, (_, i) => ({ name: `n${i}`, value: 'v' }));
    const problems = messageLimitProblems({
      embeds: [
        { title: 't'.repeat(257), fields, footer: { text: 'f'.repeat(2049) }, author: { name: 'a'.repeat(257) } },
        {
          fields: [
            { name: 'n'.repeat(257), value: 'v'.repeat(1025) },
            { name: '', value: 'x' },
          ],
        },
      ],
    });
    expect(problems).toEqual([
      'embeds[0].title: 257 characters (max 256)',
      'embeds[0].fields: 26 fields (max 25)',
      'embeds[0].footer.text: 2049 characters (max 2048)',
      'embeds[0].author.name: 257 characters (max 256)',
      'embeds[1].fields[0].name: 257 characters (max 256)',
      'embeds[1].fields[0].value: 1025 characters (max 1024)',
      'embeds[1].fields[1].name: must not be empty',
    ]);
    expect(messageLimitProblems({ embeds: Array.from({ length: 11 }, () => ({ title: 'x' })) })).toEqual([
      'embeds: 11 embeds (max 10)',
    ]);
  });

  it('finds component limits: rows, buttons per row, labels, custom ids, selects', () => {
    const options = Array.from({ length: 26 }, (_, i) => ({ label: `o${i}`, value: `v${i}` }));
    const problems = messageLimitProblems({
      components: [
        row(button('a', 'l'.repeat(81))),
        row(button('a')),
        row(...['1', '2', '3', '4', '5', '6'].map((id) => button(`b${id}`))),
        row({ type: 3, custom_id: 's'.repeat(101), options }, button('c')),
        row(button('d')),
        row(button('e')),
      ],
    });
    expect(problems).toEqual([
      'components: 6 action rows (max 5)',
      'components[0].components[0].label: 81 characters (max 80)',
      'components[1].components[0].custom_id: "a" is already used at components[0].components[0] (must be unique in components)',
      'components[2]: 6 buttons in one row (max 5)',
      'components[3]: a select menu must be alone in its action row',
      'components[3].components[0].options: 26 options (max 25)',
      'components[3].components[0].custom_id: 101 characters (max 100)',
    ]);
  });

  it('refuses content and embeds next to Components V2', () => {
    const problems = messageLimitProblems({ flags: 1 << 15, content: 'hi', components: [{ type: 10, content: 'x' }] });
    expect(problems).toEqual(['content: not allowed with the IS_COMPONENTS_V2 flag']);
  });
});

describe('documented attachment limits', () => {
  it('allows ten files per message, each up to the server’s limit (10 MiB without boosts)', () => {
    expect(LIMITS.attachmentBytes).toBe(10 * 1024 * 1024);
    expect(attachmentCountProblems(10)).toEqual([]);
    expect(attachmentCountProblems(11)).toEqual(['attachments: 11 files (max 10 per message)']);
    const files = [
      { name: 'a.md', size: LIMITS.attachmentBytes },
      { name: 'b.json', size: LIMITS.attachmentBytes + 1 },
    ];
    expect(attachmentSizeProblems(files, LIMITS.attachmentBytes)).toEqual([
      `files[1]: "b.json" is ${LIMITS.attachmentBytes + 1} bytes (max ${LIMITS.attachmentBytes} per file)`,
    ]);
  });
});

describe('documented modal limits', () => {
  it('accepts a label form and a legacy form modal at the limits', () => {
    const labelled = {
      custom_id: 'm'.repeat(100),
      title: 't'.repeat(45),
      components: [
        { type: 18, label: 'l'.repeat(45), component: textInput('a', { max_length: 4000 }) },
        { type: 18, label: 'Pick', component: { type: 3, custom_id: 'b', options: [{ label: 'x', value: 'x' }] } },
        { type: 10, content: 'Some guidance' },
      ],
    };
    expect(modalLimitProblems(labelled)).toEqual([]);
    const legacy = { custom_id: 'm', title: 'T', components: [row(textInput('a', { label: 'l'.repeat(45) }))] };
    expect(modalLimitProblems(legacy)).toEqual([]);
  });

  it('finds each modal limit', () => {
    const problems = modalLimitProblems({
      custom_id: 'm'.repeat(101),
      title: 't'.repeat(46),
      components: [
        row(textInput('a', { label: 'l'.repeat(46) })),
        { type: 18, label: 'l'.repeat(46), component: textInput('b', { max_length: 4001 }) },
        { type: 18, label: 'x', component: textInput('a') },
        row(textInput('c')),
        { type: 10, content: 'x' },
        { type: 10, content: 'y' },
      ],
    });
    expect(problems).toEqual([
      'title: 46 characters (max 45)',
      'custom_id: 101 characters (max 100)',
      'components: 6 top-level components (max 5)',
      'components[0].components[0].label: 46 characters (max 45)',
      'components[1].label: 46 characters (max 45)',
      'components[1].component.max_length: 4001 (max 4000)',
      'components[2].component.custom_id: "a" is already used at components[0] (must be unique in components)',
      'components[3].components[0].label: a text input in a row needs one',
    ]);
  });
});

describe('request bodies against discord-api-spec', () => {
  it('validates each callback type with its schema', () => {
    expect(requestBodyProblems('interaction-callback', { type: 4, data: { content: 'hi' } })).toEqual([]);
    expect(requestBodyProblems('interaction-callback', { type: 5, data: { flags: 64 } })).toEqual([]);
    expect(requestBodyProblems('interaction-callback', { type: 6 })).toEqual([]);
    expect(requestBodyProblems('interaction-callback', { type: 8 })).toEqual([
      'type: 8 is not an interaction callback type the emulator supports (1, 4, 5, 6, 7, 9)',
    ]);
    const badModal = {
      type: 9,
      data: {
        custom_id: 'm',
        title: 'T',
        components: [{ type: 18, label: 'L', component: textInput('a', { style: 3 }) }],
      },
    };
    expect(requestBodyProblems('interaction-callback', badModal)).toEqual([
      'data.components[0].component.style: Invalid option: expected one of 1|2',
    ]);
  });

  it('accepts permission bit sets as strings, as Discord and discord.js use them', () => {
    const overwrite = { id: '123456789012345678', type: 1, allow: '3072', deny: '0' };
    expect(requestBodyProblems('guild-channel-create', { name: 'x', permission_overwrites: [overwrite] })).toEqual([]);
    const command = { name: 'talk', description: 'd', default_member_permissions: '8' };
    expect(requestBodyProblems('commands-bulk-overwrite', [command])).toEqual([]);
  });

  it('checks command names and duplicates', () => {
    const problems = requestBodyProblems('commands-bulk-overwrite', [
      { name: 'Talk', description: 'd' },
      { name: 'Talk', description: 'd', options: [{ type: 3, name: 'Flow', description: 'f' }] },
    ]);
    expect(problems).toEqual([
      '[0].name: "Talk" must be 1-32 lowercase letters, digits, - or _',
      '[1].name: "Talk" is registered twice',
      '[1].name: "Talk" must be 1-32 lowercase letters, digits, - or _',
      '[1].options[0].name: "Flow" must be 1-32 lowercase letters, digits, - or _',
    ]);
  });

  it('refuses parse: ["users"] together with a users list', () => {
    const body = { content: 'x', allowed_mentions: { parse: ['users'], users: ['1'] } };
    expect(requestBodyProblems('message-create', body)).toEqual([
      'allowed_mentions: parse ["users"] and a users list are mutually exclusive',
    ]);
  });
});

describe('who a message pings', () => {
  const alex = '111111111111111111';
  const sam = '222222222222222222';
  const partners = '333333333333333333';
  const rules: PingRules = {
    senderCanMentionEveryone: false,
    isRoleMentionable: (id) => id === partners,
    repliedUserId: null,
  };

  it('parses everything without allowed_mentions, within the sender permissions', () => {
    const text = `@everyone @here <@${alex}> <@!${sam}> <@&${partners}> <@&444444444444444444>`;
    expect(pingsOf(text, undefined, rules)).toEqual({
      users: [alex, sam],
      roles: [partners],
      everyone: false,
      here: false,
    });
    expect(pingsOf(text, undefined, { ...rules, senderCanMentionEveryone: true })).toEqual({
      users: [alex, sam],
      roles: [partners, '444444444444444444'],
      everyone: true,
      here: true,
    });
  });

  it('pings only what allowed_mentions allows', () => {
    const text = `<@${alex}> <@${sam}> <@&${partners}>`;
    expect(pingsOf(text, { parse: [] }, rules)).toEqual(NO_PINGS);
    expect(pingsOf(text, { users: [sam] }, rules)).toEqual({ users: [sam], roles: [], everyone: false, here: false });
    expect(pingsOf(`hi`, { users: [sam] }, rules)).toEqual(NO_PINGS);
    expect(pingsOf(text, { parse: ['roles'] }, rules)).toEqual({
      users: [],
      roles: [partners],
      everyone: false,
      here: false,
    });
  });

  it('pings the author of the replied-to message unless replied_user is false', () => {
    const replying = { ...rules, repliedUserId: alex };
    expect(pingsOf('ok', undefined, replying).users).toEqual([alex]);
    expect(pingsOf('ok', { parse: [] }, replying).users).toEqual([]);
    expect(pingsOf('ok', { parse: [], replied_user: true }, replying).users).toEqual([alex]);
  });
});
