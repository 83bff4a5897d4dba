/**
 * The answer form's submit: its fields read into an answer, according to what the prompt asked,
 * and taken like any answer. A form for a step that has passed is refused kindly, with what was
 * typed echoed back so nothing is lost.
 */
import { echoOf } from '../echo.js';
import { typedIn, valueFromForm } from '../form-fields.js';
import { channelIdOf, defineModal } from '../interaction.js';
import { replyPrivately } from '../reply.js';

export default defineModal<{ key: string; choice?: string }>({
  name: 'form',
  encode: ({ key, choice }) => (choice === undefined ? [key] : [key, choice]),
  parse: ([key, choice]) => (key ? (choice === undefined ? { key } : { key, choice }) : undefined),
  async run(interaction, context, { key, choice }) {
    const channelId = channelIdOf(interaction);
    const view = await context.sessions.view(channelId);
    const prompt = view?.prompt?.key === key ? view.prompt : undefined;
    if (prompt) return context.answering.submit(interaction, key, valueFromForm(interaction, prompt.input, choice));
    // Stale or finished: let the engine say which, kindly, and echo what they wrote.
    const check = await context.sessions.precheck(channelId, interaction.user.id, key);
    const message = check.ok ? 'That step has passed.' : check.rejection.message;
    await replyPrivately(interaction, `${message}${echoOf({ text: typedIn(interaction) })}`);
    return { outcome: check.ok ? 'stale-step' : check.rejection.code, view };
  },
});
