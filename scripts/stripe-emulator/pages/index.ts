import { checkoutPageRoutes } from "./checkout.js";
import type { PageRoute } from "./layout.js";
import { onboardingPageRoutes } from "./onboarding.js";
import { threeDSecurePageRoutes } from "./three-d-secure.js";

export const pageRoutes: PageRoute[] = [...checkoutPageRoutes, ...threeDSecurePageRoutes, ...onboardingPageRoutes];
