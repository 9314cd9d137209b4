import { ConfigError } from '../core/errors.ts';
import type { Customer } from '../core/turn.ts';
import type { Contract, CustomersConfig, Organisation, SupportTier } from './customers-config.ts';

/** Whom the bot serves: the organisation, its contract and its SLA tier, or the general contract. */
export interface ServedCustomer {
  /** Undefined for customers no organisation recognises. */
  organisation?: Organisation | undefined;
  tierId: string;
  tier: SupportTier;
}

/**
 * Finds a customer's organisation from what the platform verified about them. Slack's enterprise
 * grid wins over the workspace (one grid, many workspaces), then the workspace, the Teams tenant,
 * the web identity, and last the e-mail domain (the least specific: shared domains exist).
 */
export class CustomerDirectory {
  private readonly byKey = new Map<string, Organisation>();
  private readonly byId = new Map<string, Organisation>();

  constructor(readonly config: CustomersConfig) {
    for (const org of config.organisations) {
      this.byId.set(org.id, org);
      const r = org.recognise;
      for (const id of r.slackEnterprises) this.byKey.set(`slack-enterprise:${id}`, org);
      for (const id of r.slackTeams) this.byKey.set(`slack-team:${id}`, org);
      for (const id of r.teamsTenants) this.byKey.set(`teams-tenant:${id.toLowerCase()}`, org);
      for (const id of r.webOrganisations) this.byKey.set(`web:${id}`, org);
      for (const domain of r.emailDomains) this.byKey.set(`email:${domain}`, org);
    }
  }

  organisationOf(customer: Customer): Organisation | undefined {
    const identity = customer.identity ?? {};
    // A Slack customer id carries its workspace (slack:T…:U…), also for conversations stored
    // before identities were recorded.
    const slackTeam = identity.slackTeam ?? /^slack:([^:]+):/.exec(customer.id)?.[1];
    // E-mail and organisation are set only from a source that vouches for them (the platform's
    // profile, a signed web identity).
    const domain = customer.email?.split('@')[1]?.toLowerCase();
    const keys = [
      identity.slackEnterprise && `slack-enterprise:${identity.slackEnterprise}`,
      slackTeam && `slack-team:${slackTeam}`,
      identity.teamsTenant && `teams-tenant:${identity.teamsTenant.toLowerCase()}`,
      customer.organisation && `web:${customer.organisation}`,
      domain && `email:${domain}`,
    ];
    for (const key of keys) {
      const org = key ? this.byKey.get(key) : undefined;
      if (org) return org;
    }
    return undefined;
  }

  organisation(id: string | undefined): Organisation | undefined {
    return id === undefined ? undefined : this.byId.get(id);
  }

  organisations(): readonly Organisation[] {
    return this.config.organisations;
  }

  /** The organisation's contract tier, or the general one. */
  serve(organisation: Organisation | undefined): ServedCustomer {
    const tierId = organisation?.contract.tier ?? this.config.default.tier;
    const tier = this.config.tiers[tierId];
    // parseCustomersConfig checks every tier named exists.
    if (!tier) throw new ConfigError('missing_configuration', `customers config has no tier "${tierId}"`);
    return { organisation, tierId, tier };
  }

  serveCustomer(customer: Customer): ServedCustomer {
    return this.serve(this.organisationOf(customer));
  }

  contractOf(organisationId: string | undefined): Contract | undefined {
    return this.organisation(organisationId)?.contract;
  }
}
