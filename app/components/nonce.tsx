import { createContext, useContext } from "react";

// The page's CSP nonce, given by the server render to the scripts Remix writes inline. In the
// browser it is empty: browsers hide a nonce from the DOM once the page has loaded, so nothing
// would match it anyway and the hydrated scripts are already trusted.
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export function useNonce() {
  return useContext(NonceContext);
}
