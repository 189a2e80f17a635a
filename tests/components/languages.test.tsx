// @vitest-environment jsdom
import { createRemixStub } from "@remix-run/testing";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { i18nFor } from "~/i18n";
import SignupPage from "~/routes/signup";

describe("the pages in Spanish", () => {
  it("shows the form's own mistakes in Spanish before anything is sent", async () => {
    const action = vi.fn(() => null);
    const Stub = createRemixStub([{ path: "/signup", Component: SignupPage, action }]);
    render(
      <I18nextProvider i18n={i18nFor("es")}>
        <Stub initialEntries={["/signup"]} />
      </I18nextProvider>,
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Nombre"), "Ada");
    await user.type(screen.getByLabelText("Correo electrónico"), "ada@");
    await user.type(screen.getByLabelText("Contraseña"), "corta");
    await user.click(screen.getByRole("button", { name: "Crear cuenta" }));
    expect(screen.getByLabelText("Correo electrónico")).toHaveAccessibleDescription(/Escribe un correo válido/);
    expect(screen.getByLabelText("Contraseña")).toHaveAccessibleDescription(/Usa al menos 10 caracteres/);
    expect(action).not.toHaveBeenCalled();
  });
});
