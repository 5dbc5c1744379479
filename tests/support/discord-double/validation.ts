/**
 * The subset of Discord's request validation that bots commonly trip over: message limits
 * (content, embeds, components, attachment descriptions), autocomplete choices and application command definitions.
 * Violations produce 50035 "Invalid Form Body" with Discord-style nested `errors`.
 * The top-level codes are Discord's; the inner per-field `code` strings are close approximations.
 */
import type { FieldError } from './errors.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Discord counts characters (code points), not UTF-16 units. */
const length = (value: unknown): number => (typeof value === 'string' ? [...value].length : 0);

function maxLength(errors: FieldError[], path: FieldError['path'], value: unknown, max: number): void {
  if (typeof value === 'string' && length(value) > max) {
    errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

function between(errors: FieldError[], path: FieldError['path'], value: unknown, min: number, max: number): void {
  if (typeof value !== 'string') {
    errors.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  } else if (length(value) < min || length(value) > max) {
    errors.push({ path, code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` });
  }
}

const IS_COMPONENTS_V2 = 1 << 15;

/** Message bodies: POST /channels/:id/messages, webhooks, interaction callback data. */
export function validateMessageBody(body: Json): FieldError[] {
  const errors: FieldError[] = [];
  maxLength(errors, ['content'], body.content, 2000);
  maxLength(errors, ['nonce'], body.nonce, 25);

  const embeds = body.embeds;
  if (Array.isArray(embeds)) {
    if (embeds.length > 10) errors.push({ path: ['embeds'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' });
    let total = 0;
    embeds.forEach((embed: unknown, i) => {
      if (!isObject(embed)) return;
      const at = (...rest: Array<string | number>) => ['embeds', i, ...rest];
      maxLength(errors, at('title'), embed.title, 256);
      maxLength(errors, at('description'), embed.description, 4096);
      total += length(embed.title) + length(embed.description);
      if (isObject(embed.footer)) {
        maxLength(errors, at('footer', 'text'), embed.footer.text, 2048);
        total += length(embed.footer.text);
      }
      if (isObject(embed.author)) {
        maxLength(errors, at('author', 'name'), embed.author.name, 256);
        total += length(embed.author.name);
      }
      if (Array.isArray(embed.fields)) {
        if (embed.fields.length > 25) errors.push({ path: at('fields'), code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
        embed.fields.forEach((field: unknown, j) => {
          if (!isObject(field)) return;
          between(errors, at('fields', j, 'name'), field.name, 1, 256);
          between(errors, at('fields', j, 'value'), field.value, 1, 1024);
          total += length(field.name) + length(field.value);
        });
      }
    });
    if (total > 6000) {
      errors.push({ path: ['embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
    }
  }

  if (Array.isArray(body.attachments)) {
    body.attachments.forEach((attachment: unknown, i) => {
      if (isObject(attachment)) maxLength(errors, ['attachments', i, 'description'], attachment.description, 1024);
    });
  }

  const components = body.components;
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  if (Array.isArray(components) && (flags & IS_COMPONENTS_V2) === 0) {
    if (components.length > 5) errors.push({ path: ['components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
    const customIds = new Set<string>();
    components.forEach((row: unknown, i) => {
      if (!isObject(row) || row.type !== 1) {
        errors.push({ path: ['components', i], code: 'UNION_TYPE_CHOICES', message: 'Value of field "type" must be one of (1,).' });
        return;
      }
      const children = Array.isArray(row.components) ? row.components : [];
      if (children.length < 1 || children.length > 5) {
        errors.push({ path: ['components', i, 'components'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 5 in length.' });
      }
      children.forEach((child: unknown, j) => {
        if (!isObject(child)) return;
        const at = (...rest: Array<string | number>) => ['components', i, 'components', j, ...rest];
        if (child.type === 2) {
          maxLength(errors, at('label'), child.label, 80);
          const style = child.style;
          if (style === 5) {
            if (typeof child.url !== 'string') errors.push({ path: at('url'), code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
            return;
          }
          if (style === 6) return;
        } else if (child.type !== 3 && child.type !== 5 && child.type !== 6 && child.type !== 7 && child.type !== 8) {
          errors.push({ path: at('type'), code: 'COMPONENT_TYPE_INVALID', message: 'Invalid component type' });
          return;
        }
        between(errors, at('custom_id'), child.custom_id, 1, 100);
        if (typeof child.custom_id === 'string') {
          if (customIds.has(child.custom_id)) {
            errors.push({ path: at('custom_id'), code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
          }
          customIds.add(child.custom_id);
        }
        if (child.type === 3) {
          const options = Array.isArray(child.options) ? child.options : [];
          if (options.length < 1 || options.length > 25) {
            errors.push({ path: at('options'), code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 25 in length.' });
          }
          maxLength(errors, at('placeholder'), child.placeholder, 150);
          const values = new Set<unknown>();
          options.forEach((option: unknown, k) => {
            if (!isObject(option)) return;
            between(errors, at('options', k, 'label'), option.label, 1, 100);
            between(errors, at('options', k, 'value'), option.value, 1, 100);
            maxLength(errors, at('options', k, 'description'), option.description, 100);
            if (values.has(option.value)) errors.push({ path: at('options', k, 'value'), code: 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED', message: 'Select component option values must be unique' });
            values.add(option.value);
          });
        }
      });
    });
  }
  return errors;
}

/** A text input of a modal, where it sits, and whether Discord's label or the input's own (legacy action rows) names it. */
export interface ModalTextInput {
  path: Array<string | number>;
  input: Json;
  label: unknown;
}

/** The text inputs of a modal: each in a label (type 18), or in an action row (type 1, deprecated) carrying its own label. */
export function modalTextInputs(components: unknown): ModalTextInput[] {
  if (!Array.isArray(components)) return [];
  return components.flatMap((component: unknown, i): ModalTextInput[] => {
    if (!isObject(component)) return [];
    if (component.type === 18 && isObject(component.component)) return [{ path: ['components', i, 'component'], input: component.component, label: component.label }];
    if (component.type === 1 && Array.isArray(component.components)) {
      return component.components.filter(isObject).map((input, j) => ({ path: ['components', i, 'components', j], input, label: input.label }));
    }
    return [];
  });
}

/** A modal callback (type 9): title and custom id, one to five labelled text inputs within Discord's lengths. */
export function validateModal(data: Json): FieldError[] {
  const errors: FieldError[] = [];
  between(errors, ['custom_id'], data.custom_id, 1, 100);
  between(errors, ['title'], data.title, 1, 45);
  const components = Array.isArray(data.components) ? data.components : [];
  if (components.length < 1 || components.length > 5) errors.push({ path: ['components'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 5 in length.' });
  components.forEach((component: unknown, i) => {
    if (!isObject(component) || ![1, 10, 18].includes(component.type as number)) {
      errors.push({ path: ['components', i, 'type'], code: 'UNION_TYPE_CHOICES', message: 'Value of field "type" must be one of (1, 10, 18).' });
    } else if (component.type === 18) {
      between(errors, ['components', i, 'label'], component.label, 1, 45);
      maxLength(errors, ['components', i, 'description'], component.description, 100);
    }
  });
  const customIds = new Set<unknown>();
  for (const { path, input, label } of modalTextInputs(components)) {
    if (input.type !== 4) continue;
    between(errors, [...path, 'custom_id'], input.custom_id, 1, 100);
    if (customIds.has(input.custom_id)) errors.push({ path: [...path, 'custom_id'], code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
    customIds.add(input.custom_id);
    if (path.length === 4) between(errors, [...path, 'label'], label, 1, 45);
    else if (input.label !== undefined) errors.push({ path: [...path, 'label'], code: 'COMPONENT_FIELD_NOT_ALLOWED', message: 'A text input in a label has no label of its own' });
    if (input.style !== 1 && input.style !== 2) errors.push({ path: [...path, 'style'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of (1, 2).' });
    const max = typeof input.max_length === 'number' ? input.max_length : 4000;
    if (max < 1 || max > 4000) errors.push({ path: [...path, 'max_length'], code: 'NUMBER_TYPE_MAX', message: 'int value should be between 1 and 4000.' });
    if (typeof input.min_length === 'number' && (input.min_length < 0 || input.min_length > max)) {
      errors.push({ path: [...path, 'min_length'], code: 'NUMBER_TYPE_MAX', message: 'int value should be between 0 and max_length.' });
    }
    maxLength(errors, [...path, 'value'], input.value, max);
    maxLength(errors, [...path, 'placeholder'], input.placeholder, 100);
  }
  return errors;
}

/** Whether a message body would produce an empty message. */
export function isEmptyMessage(body: Json, fileCount: number): boolean {
  const has = (key: string) => Array.isArray(body[key]) && (body[key] as unknown[]).length > 0;
  return (
    !(typeof body.content === 'string' && body.content.length > 0) &&
    !has('embeds') &&
    !has('components') &&
    !has('sticker_ids') &&
    !isObject(body.poll) &&
    fileCount === 0
  );
}

/** Autocomplete results: at most 25 choices, names 1-100, string values at most 100. */
export function validateAutocompleteChoices(data: Json): FieldError[] {
  const errors: FieldError[] = [];
  const choices = data.choices;
  if (!Array.isArray(choices)) {
    errors.push({ path: ['data', 'choices'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return errors;
  }
  if (choices.length > 25) errors.push({ path: ['data', 'choices'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  choices.forEach((choice: unknown, i) => {
    if (!isObject(choice)) return;
    between(errors, ['data', 'choices', i, 'name'], choice.name, 1, 100);
    if (typeof choice.value === 'string') maxLength(errors, ['data', 'choices', i, 'value'], choice.value, 100);
    else if (typeof choice.value !== 'number') {
      errors.push({ path: ['data', 'choices', i, 'value'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    }
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Application commands
// ---------------------------------------------------------------------------------------------

/** Discord's documented regex for CHAT_INPUT command and option names. */
export const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const MAX_COMMAND_SIZE = 8000;

function validateName(errors: FieldError[], path: FieldError['path'], name: unknown, chatInput: boolean): void {
  if (typeof name !== 'string') {
    errors.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return;
  }
  if (chatInput ? !CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase() : length(name) < 1 || length(name) > 32) {
    errors.push({ path, code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
  }
}

function validateOptions(errors: FieldError[], path: FieldError['path'], options: unknown, depth: number): number {
  if (options === undefined || options === null) return 0;
  if (!Array.isArray(options)) {
    errors.push({ path, code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
    return 0;
  }
  if (options.length > 25) errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  let size = 0;
  let seenOptional = false;
  const names = new Set<string>();
  const kinds = new Set<'sub' | 'value'>();
  options.forEach((option: unknown, i) => {
    const at = (...rest: Array<string | number>) => [...path, i, ...rest];
    if (!isObject(option)) return;
    const type = option.type;
    if (typeof type !== 'number' || type < 1 || type > 11) {
      errors.push({ path: at('type'), code: 'BASE_TYPE_CHOICES', message: 'Value must be one of (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).' });
      return;
    }
    validateName(errors, at('name'), option.name, true);
    between(errors, at('description'), option.description, 1, 100);
    size += length(option.name) + length(option.description);
    if (typeof option.name === 'string') {
      if (names.has(option.name)) {
        errors.push({ path: at('name'), code: 'APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME', message: 'Option names must be unique' });
      }
      names.add(option.name);
    }
    const isSub = type === 1 || type === 2;
    kinds.add(isSub ? 'sub' : 'value');
    if (isSub) {
      if (type === 2 && depth > 0) errors.push({ path: at('type'), code: 'APPLICATION_COMMAND_OPTION_INVALID_NESTING', message: 'Subcommand groups can only be top-level options' });
      if (type === 1 && depth > 1) errors.push({ path: at('type'), code: 'APPLICATION_COMMAND_OPTION_INVALID_NESTING', message: 'Subcommands cannot be nested this deep' });
      if (type === 2 && Array.isArray(option.options) && option.options.some((o: unknown) => isObject(o) && o.type !== 1)) {
        errors.push({ path: at('options'), code: 'APPLICATION_COMMAND_OPTION_INVALID_NESTING', message: 'Subcommand groups may only contain subcommands' });
      }
      size += validateOptions(errors, at('options'), option.options, depth + 1);
      return;
    }
    if (option.required === true) {
      if (seenOptional) {
        errors.push({ path: at('required'), code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID_ORDER', message: 'Required options must be placed before non-required options' });
      }
    } else {
      seenOptional = true;
    }
    const choices = option.choices;
    if (Array.isArray(choices)) {
      if (option.autocomplete === true && choices.length > 0) {
        errors.push({ path: at('autocomplete'), code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES', message: 'Autocomplete cannot be enabled on options that have choices' });
      }
      if (choices.length > 25) errors.push({ path: at('choices'), code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
      choices.forEach((choice: unknown, j) => {
        if (!isObject(choice)) return;
        between(errors, at('choices', j, 'name'), choice.name, 1, 100);
        if (typeof choice.value === 'string') maxLength(errors, at('choices', j, 'value'), choice.value, 100);
        size += length(choice.name) + length(typeof choice.value === 'string' ? choice.value : String(choice.value));
      });
    }
    for (const key of ['min_length', 'max_length'] as const) {
      const value = option[key];
      if (value !== undefined && (typeof value !== 'number' || value < 0 || value > 6000)) {
        errors.push({ path: at(key), code: 'NUMBER_TYPE_MAX', message: 'int value should be between 0 and 6000.' });
      }
    }
  });
  if (kinds.size > 1) {
    errors.push({ path, code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', message: 'Subcommands and subcommand groups cannot be mixed with other option types' });
  }
  return size;
}

/** Validates one command definition; `path` prefixes the error paths (index in a bulk body). */
export function validateCommand(command: unknown, path: FieldError['path'] = []): FieldError[] {
  const errors: FieldError[] = [];
  if (!isObject(command)) {
    errors.push({ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
    return errors;
  }
  const type = command.type ?? 1;
  if (type !== 1 && type !== 2 && type !== 3 && type !== 4) {
    errors.push({ path: [...path, 'type'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of (1, 2, 3, 4).' });
    return errors;
  }
  const chatInput = type === 1;
  validateName(errors, [...path, 'name'], command.name, chatInput);
  let size = length(command.name);
  if (chatInput) {
    between(errors, [...path, 'description'], command.description, 1, 100);
    size += length(command.description);
    size += validateOptions(errors, [...path, 'options'], command.options, 0);
  } else if (typeof command.description === 'string' && command.description.length > 0) {
    errors.push({ path: [...path, 'description'], code: 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', message: 'Context menu commands cannot have a description' });
  }
  if (command.default_member_permissions !== undefined && command.default_member_permissions !== null) {
    const value = command.default_member_permissions;
    if (!(typeof value === 'string' && /^\d+$/.test(value)) && typeof value !== 'number') {
      errors.push({ path: [...path, 'default_member_permissions'], code: 'BASE_TYPE_BAD_INT', message: 'Value "' + String(value) + '" is not snowflake.' });
    }
  }
  if (size > MAX_COMMAND_SIZE) {
    errors.push({ path, code: 'APPLICATION_COMMAND_TOO_LARGE', message: `Command exceeds maximum size (${MAX_COMMAND_SIZE})` });
  }
  return errors;
}

/** PUT bulk-overwrite bodies: every command valid, names unique per type, per-type caps. */
export function validateCommandList(body: unknown): FieldError[] {
  if (!Array.isArray(body)) return [{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const perType = new Map<number, number>();
  body.forEach((command: unknown, i) => {
    errors.push(...validateCommand(command, [i]));
    if (!isObject(command)) return;
    const type = typeof command.type === 'number' ? command.type : 1;
    const key = `${type}:${String(command.name)}`;
    if (seen.has(key)) {
      errors.push({ path: [i, 'name'], code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'Application command names must be unique' });
    }
    seen.add(key);
    perType.set(type, (perType.get(type) ?? 0) + 1);
  });
  const caps: Record<number, number> = { 1: 100, 2: 15, 3: 15 };
  for (const [type, count] of perType) {
    const cap = caps[type];
    if (cap !== undefined && count > cap) {
      errors.push({ path: [], code: 'APPLICATION_COMMANDS_TOO_MANY', message: `Maximum number of application commands of type ${type} reached (${cap})` });
    }
  }
  return errors;
}
