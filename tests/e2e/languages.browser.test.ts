import { describeInBrowser, screenshot, useBrowser, waitForHydration } from "../support/browser";
import { useSite } from "../support/site";

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
});
