import type { SubscriptionLinks } from './links.js';
import type { SubscriptionStore } from './port.js';

/** What the subscription API and pages need; present when SECRET_KEY and SMTP_URL are set. */
export interface SubscriptionDeps {
  store: SubscriptionStore;
  secret: string;
  links: SubscriptionLinks;
  /** Queues the confirmation e-mail of a pending subscription. */
  requestConfirmation(subscriptionId: string): Promise<void>;
}
