import { badRequest, CommitConflict, notFound, serviceUnavailable, TwilioError } from '../core/errors.js';
import type { IvrMenuRecord, PhoneNumberRecord } from '../core/model.js';
import { isSid, newSid } from '../core/sid.js';
import type { RoutingEngine } from '../engine/engine.js';
import { findChannel } from '../engine/workspace-config.js';
import { readIvrMenuSettings, type IvrMenuSettings } from './ivr-menu-settings.js';
import { checkAnswersFit, menuCycleThrough } from './menu-graph.js';
import { PHONE_NUMBER_DEFAULTS, readPhoneNumberSettings, type PhoneNumberSettings } from './phone-number-settings.js';
import type { SettingsReader } from './settings-reader.js';
import type { ConfigurationChange, ConnectorState } from './state/connector-state.js';
import { log } from '../telemetry/log.js';

type NameChange = NonNullable<ConfigurationChange['names']>[number];

const ATTEMPTS = 5;

/**
 * The voice connector's configuration: phone numbers and IVR menus, kept in the connector's state (not in any
 * workspace: deleting a workspace leaves them, and every instance reads the same numbers and menus). Every write
 * checks its references (workspace, workflow, task channel, menus) against what exists now, refuses menu cycles, and
 * commits against the versions it read, so concurrent administrators cannot leave a dangling reference behind.
 */
export class ConnectorDirectory {
  constructor(
    private readonly engine: RoutingEngine,
    private readonly state: ConnectorState,
  ) {}

  async listPhoneNumbers(): Promise<PhoneNumberRecord[]> {
    return (await this.state.listConfigured('phoneNumber')).map(withDefaults);
  }

  /** The number configured for `number` (E.164), if any: what an inbound call's `To` selects. */
  async findPhoneNumber(number: string): Promise<PhoneNumberRecord | null> {
    const sid = await this.state.configuredName('phoneNumber', number);
    return sid ? this.phoneNumberBySid(sid) : null;
  }

  /**
   * The number configured for `number` while it can take calls and messages: null when none is, or when the
   * workspace it routes to was deleted (its configuration outlives the workspace), so the
   * caller hears that the number is not in service rather than an error.
   */
  async numberInService(number: string): Promise<PhoneNumberRecord | null> {
    const found = await this.findPhoneNumber(number);
    if (!found || (await this.engine.store.get(found.workspaceSid, 'workspace', found.workspaceSid))) return found;
    log.warn({ number, workspace_sid: found.workspaceSid }, 'phone number configured for a workspace that no longer exists: answered as not in service');
    return null;
  }

  /** A number by PN sid or E.164 number; 404 if unknown. */
  async phoneNumber(sidOrNumber: string): Promise<PhoneNumberRecord> {
    const found = isSid(sidOrNumber, 'PN') ? await this.phoneNumberBySid(sidOrNumber) : await this.findPhoneNumber(sidOrNumber);
    if (!found) throw notFound(`The requested resource /Connector/PhoneNumbers/${sidOrNumber} was not found`);
    return found;
  }

  /** A number by its PN sid (as the call flow's URLs carry it), if it is still configured. */
  async phoneNumberBySid(sid: string): Promise<PhoneNumberRecord | null> {
    const found = await this.state.configured('phoneNumber', sid);
    return found && withDefaults(found);
  }

  /** A menu by its IM sid (as the call flow's URLs and options carry it), if it is still configured. */
  ivrMenuBySid(sid: string): Promise<IvrMenuRecord | null> {
    return this.state.configured('ivrMenu', sid);
  }

  listIvrMenus(): Promise<IvrMenuRecord[]> {
    return this.state.listConfigured('ivrMenu');
  }

  /** A menu by IM sid or unique name; 404 if unknown. */
  async ivrMenu(sidOrName: string): Promise<IvrMenuRecord> {
    const found = await this.findMenu(sidOrName);
    if (!found) throw notFound(`The requested resource /Connector/IvrMenus/${sidOrName} was not found`);
    return found;
  }

  createPhoneNumber(reader: SettingsReader): Promise<PhoneNumberRecord> {
    return retried(() => this.writePhoneNumber(null, reader));
  }

  updatePhoneNumber(sidOrNumber: string, reader: SettingsReader): Promise<PhoneNumberRecord> {
    return retried(async () => this.writePhoneNumber(await this.phoneNumber(sidOrNumber), reader));
  }

  /** Creates the number or updates the one already configured for it (configuration files are applied this way). */
  upsertPhoneNumber(number: string, reader: SettingsReader): Promise<PhoneNumberRecord> {
    return retried(async () => this.writePhoneNumber(await this.findPhoneNumber(number), reader));
  }

  async deletePhoneNumber(sidOrNumber: string): Promise<void> {
    await retried(async () => {
      const current = await this.phoneNumber(sidOrNumber);
      await this.state.changeConfiguration({
        expect: [{ kind: 'phoneNumber', sid: current.sid, version: current.version }],
        delete: [{ kind: 'phoneNumber', sid: current.sid }],
        names: [{ op: 'release', kind: 'phoneNumber', name: current.number, sid: current.sid }],
      });
    });
  }

  createIvrMenu(reader: SettingsReader): Promise<IvrMenuRecord> {
    return retried(() => this.writeIvrMenu(null, reader));
  }

  updateIvrMenu(sidOrName: string, reader: SettingsReader): Promise<IvrMenuRecord> {
    return retried(async () => this.writeIvrMenu(await this.ivrMenu(sidOrName), reader));
  }

  /** Creates the menu or updates the one with its unique name. */
  upsertIvrMenu(uniqueName: string, reader: SettingsReader): Promise<IvrMenuRecord> {
    return retried(async () => this.writeIvrMenu(await this.findMenu(uniqueName), reader));
  }

  /** Refused while a number or another menu still leads to the menu. */
  async deleteIvrMenu(sidOrName: string): Promise<void> {
    await retried(async () => {
      const menu = await this.ivrMenu(sidOrName);
      const [numbers, menus] = await Promise.all([this.listPhoneNumbers(), this.listIvrMenus()]);
      const number = numbers.find((n) => n.ivrMenuSid === menu.sid);
      if (number) throw badRequest(`IVR menu ${menu.uniqueName} is the menu of phone number ${number.number}; change that first`);
      const parent = menus.find((m) => m.sid !== menu.sid && m.options.some((o) => o.nextMenuSid === menu.sid));
      if (parent) throw badRequest(`IVR menu ${menu.uniqueName} is reached from menu ${parent.uniqueName}; change that first`);
      await this.state.changeConfiguration({
        // The referrers read above must still be the referrers at commit.
        expect: [
          { kind: 'ivrMenu', sid: menu.sid, version: menu.version },
          ...numbers.map((n) => ({ kind: 'phoneNumber' as const, sid: n.sid, version: n.version })),
          ...menus.filter((m) => m.sid !== menu.sid).map((m) => ({ kind: 'ivrMenu' as const, sid: m.sid, version: m.version })),
        ],
        delete: [{ kind: 'ivrMenu', sid: menu.sid }],
        names: [{ op: 'release', kind: 'ivrMenu', name: menu.uniqueName, sid: menu.sid }],
      });
    });
  }

  private async writePhoneNumber(current: PhoneNumberRecord | null, reader: SettingsReader): Promise<PhoneNumberRecord> {
    const settings = readPhoneNumberSettings(reader, current);
    const holder = await this.state.configuredName('phoneNumber', settings.number);
    if (holder && holder !== current?.sid) throw badRequest(`Phone number ${settings.number} is already configured (${holder})`);
    const menu = await this.checkPhoneNumberReferences(settings, reader);
    const now = this.engine.clock.now();
    const record: PhoneNumberRecord = {
      ...settings,
      ivrMenuSid: menu?.sid ?? null,
      sid: current?.sid ?? newSid('PN'),
      dateCreated: current?.dateCreated ?? now,
      dateUpdated: now,
      version: (current?.version ?? 0) + 1,
    };
    const names: NameChange[] = [{ op: 'claim', kind: 'phoneNumber', name: record.number, sid: record.sid }];
    if (current && current.number !== record.number) names.push({ op: 'release', kind: 'phoneNumber', name: current.number, sid: record.sid });
    await this.state.changeConfiguration({
      expect: [
        { kind: 'phoneNumber', sid: record.sid, version: current?.version ?? null },
        ...(menu ? [{ kind: 'ivrMenu' as const, sid: menu.sid, version: menu.version }] : []),
      ],
      put: [{ kind: 'phoneNumber', record }],
      names,
    });
    return record;
  }

  private async checkPhoneNumberReferences(settings: PhoneNumberSettings, reader: SettingsReader): Promise<IvrMenuRecord | null> {
    const config = await this.engine.workspaceConfig(settings.workspaceSid).catch((err: unknown) => {
      if (err instanceof TwilioError && err.status === 404)
        throw badRequest(`${reader.name('workspace_sid')}: Workspace ${settings.workspaceSid} does not exist`);
      throw err;
    });
    if (!config.workflows.has(settings.workflowSid)) {
      throw badRequest(`${reader.name('workflow_sid')}: Workflow ${settings.workflowSid} does not exist in workspace ${settings.workspaceSid}`);
    }
    if (!findChannel(config, settings.taskChannel)) {
      throw badRequest(`${reader.name('task_channel')}: TaskChannel ${settings.taskChannel} does not exist in workspace ${settings.workspaceSid}`);
    }
    // Checked when given: a number that only takes calls must not fail over a workspace without an `sms` channel.
    if (reader.has('sms_task_channel') && !findChannel(config, settings.smsTaskChannel)) {
      throw badRequest(`${reader.name('sms_task_channel')}: TaskChannel ${settings.smsTaskChannel} does not exist in workspace ${settings.workspaceSid}`);
    }
    if (settings.ivrMenuSid === null) return null;
    const menu = await this.findMenu(settings.ivrMenuSid);
    if (!menu) throw badRequest(`${reader.name('ivr_menu_sid')}: IVR menu ${settings.ivrMenuSid} does not exist`);
    return menu;
  }

  private async writeIvrMenu(current: IvrMenuRecord | null, reader: SettingsReader): Promise<IvrMenuRecord> {
    const settings: IvrMenuSettings = readIvrMenuSettings(reader, current);
    const holder = await this.state.configuredName('ivrMenu', settings.uniqueName);
    if (holder && holder !== current?.sid) throw badRequest(`${reader.name('unique_name')}: an IVR menu named ${settings.uniqueName} already exists`);
    const now = this.engine.clock.now();
    const sid = current?.sid ?? newSid('IM');
    const menus = new Map((await this.listIvrMenus()).map((m) => [m.sid, m]));
    const options = settings.options.map((option, i) => {
      if (option.nextMenuSid === null) return option;
      const ref = option.nextMenuSid;
      const target = [...menus.values()].find((m) => m.sid === ref || m.uniqueName === ref) ?? (ref === sid || ref === settings.uniqueName ? { sid } : null);
      if (!target) throw badRequest(`${reader.name('options')}[${i}].next_menu_sid: IVR menu ${ref} does not exist`);
      return { ...option, nextMenuSid: target.sid };
    });
    const record: IvrMenuRecord = {
      ...settings,
      options,
      sid,
      dateCreated: current?.dateCreated ?? now,
      dateUpdated: now,
      version: (current?.version ?? 0) + 1,
    };
    menus.set(sid, record);
    const cycle = menuCycleThrough(sid, menus);
    if (cycle) throw badRequest(`${reader.name('options')}: menus would lead back to themselves (${cycle.join(' → ')}); a caller would never leave the IVR`);
    checkAnswersFit(sid, menus, reader.name('options'));
    const targets = [...new Set(options.flatMap((o) => (o.nextMenuSid && o.nextMenuSid !== sid ? [o.nextMenuSid] : [])))];
    const names: NameChange[] = [{ op: 'claim', kind: 'ivrMenu', name: record.uniqueName, sid }];
    if (current && current.uniqueName !== record.uniqueName) names.push({ op: 'release', kind: 'ivrMenu', name: current.uniqueName, sid });
    await this.state.changeConfiguration({
      // The menus this one leads to must still exist, unchanged, at commit: a cycle checked on them still holds.
      expect: [
        { kind: 'ivrMenu', sid, version: current?.version ?? null },
        ...targets.map((t) => ({ kind: 'ivrMenu' as const, sid: t, version: menus.get(t)!.version })),
      ],
      put: [{ kind: 'ivrMenu', record }],
      names,
    });
    return record;
  }

  private async findMenu(sidOrName: string): Promise<IvrMenuRecord | null> {
    const sid = isSid(sidOrName, 'IM') ? sidOrName : await this.state.configuredName('ivrMenu', sidOrName);
    return sid ? this.state.configured('ivrMenu', sid) : null;
  }
}

/**
 * A number as stored, with the settings added since (SMS) at their defaults for a record saved before they existed:
 * every read goes through here, so the rest of the connector can take the record's type at its word.
 */
function withDefaults(record: PhoneNumberRecord): PhoneNumberRecord {
  const stored = record as Partial<Pick<PhoneNumberRecord, 'smsTaskChannel' | 'smsAutoReply'>>;
  return { ...record, smsTaskChannel: stored.smsTaskChannel ?? PHONE_NUMBER_DEFAULTS.smsTaskChannel, smsAutoReply: stored.smsAutoReply ?? null };
}

/** Runs a read-check-commit again when another writer got there first. */
async function retried<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; i < ATTEMPTS; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof CommitConflict)) throw err;
    }
  }
  throw serviceUnavailable('The connector configuration kept changing under this request; try again');
}
