import { describeInBrowser, screenshot, useBrowser, waitForHydration } from "../support/browser";
import { useSite } from "../support/site";

/** The banner the backer sees when Stripe sends them back with the pledge confirmed. */
const CONFIRMED_ES = "¡Gracias! Tu aportación está confirmada.";

describeInBrowser("the site in two languages, in a real browser", () => {
  const newPage = useBrowser({ baseURL: () => site().url });
  const site = useSite();

  it("switches the sign-in page to Spanish from the header, hydrates without a mismatch, and validates in Spanish", async () => {
    const page = await newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));

    await page.goto("/login");
    await waitForHydration(page);
    await page.getByRole("button", { name: "Español" }).click();
    await page.getByRole("heading", { name: "Entrar" }).waitFor();
    await waitForHydration(page);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await page.locator("html").getAttribute("lang")).toBe("es");
    expect(await page.title()).toBe("Entrar · Colecta");

    await page.getByLabel("Correo electrónico").fill("ana@");
    await page.getByLabel("Contraseña").fill("x");
    await page.getByRole("button", { name: "Entrar", exact: true }).click();
    await page.getByText("Escribe un correo válido, como nombre@ejemplo.com.").waitFor();
    await screenshot(page, "login-es");
    // The header keeps the switch and both account buttons on a phone's width.
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "login-es-narrow");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 860 });
    expect(problems).toEqual([]);

    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
  });

  it("walks a backer's path in Spanish: switch, find a Spanish campaign, sign up, pledge, pay on Stripe's page, confirmation and email", async () => {
    const page = await newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));

    await page.goto("/");
    await waitForHydration(page);
    await page.getByRole("button", { name: "Español" }).click();
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("es");
    await screenshot(page, "es-home");

    // Spanish stemming and accents: "lampara" finds "Lámparas de cerámica".
    await page.goto("/discover?q=lampara");
    await waitForHydration(page);
    const result = page.getByRole("link", { name: /Lámparas de cerámica torneadas a mano en Triana/ }).first();
    await result.waitFor();
    await screenshot(page, "es-discover-search");
    await result.click();
    await page.waitForURL(/\/projects\/lamparas-ceramica-triana$/);
    await waitForHydration(page);
    await screenshot(page, "es-project");

    const tier = page.locator("li", { has: page.getByRole("heading", { name: "Lámpara de mesa" }) });
    await tier.getByRole("link", { name: /Apoyar este proyecto/ }).click();
    await page.waitForURL(/\/pledge\?tier=/);
    await waitForHydration(page);
    await page.getByLabel("Enviar a").selectOption("ES");
    await screenshot(page, "es-pledge-form");
    await page.getByRole("button", { name: "Inicia sesión para continuar" }).click();

    await page.waitForURL(/\/login\?redirectTo=/);
    await page.getByRole("link", { name: "Crear una cuenta" }).click();
    await page.waitForURL(/\/signup\?redirectTo=/);
    await waitForHydration(page);
    const email = `marta-${Date.now()}@example.com`;
    await page.getByLabel("Nombre").fill("Marta Ruiz");
    await page.getByLabel("Correo electrónico").fill(email);
    await page.getByLabel("Contraseña").fill("una frase bastante larga");
    await page.getByRole("button", { name: "Crear cuenta" }).click();

    await page.waitForURL(/\/pledge\?/);
    await waitForHydration(page);
    await page.getByText("103,00 €").first().waitFor();
    await page.getByRole("button", { name: "Continuar a la página de pago segura" }).click();

    await page.waitForURL(/\/c\/pay\//);
    expect(await page.locator("html").getAttribute("lang")).toBe("es");
    // The campaign collects at its deadline: Stripe's page saves the card and says nothing is charged now.
    await page.getByText("No se te cobrará nada ahora.").waitFor();
    await screenshot(page, "es-hosted-checkout");
    await page.getByLabel("Número de tarjeta").fill("4242424242424242");
    await page.getByLabel("Fecha de caducidad").fill("12 / 34");
    await page.getByLabel("CVC").fill("123");
    await page.locator("form button[type=submit]").click();

    await page.waitForURL(/\/me\/pledges\/[0-9a-f-]+\?confirmed=1/);
    await page.getByText(CONFIRMED_ES).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("es");
    await page.getByText("Tarjeta guardada en la página de pago de Stripe").waitFor();
    await screenshot(page, "es-pledge-confirmed");

    // The delivery worker sends it within seconds; the mailbox shows what has arrived when it loads.
    await expect
      .poll(
        async () => {
          await page.goto("/mailbox");
          return page.getByText("Ya apoyas Lámparas de cerámica torneadas a mano en Triana").count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBeGreaterThan(0);
    await screenshot(page, "es-mailbox");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(problems).toEqual([]);
  });
});
