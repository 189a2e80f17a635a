import { z } from "zod";

// The account forms' rules, shared by the browser (instant feedback) and the server (the truth).

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long (254 characters at most).")
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }));

export const signupSchema = z.object({
  name: z
    .string({ error: "Enter your name." })
    .trim()
    .min(1, "Enter your name.")
    .max(100, "Keep your name under 100 characters."),
  email,
  // Conform reads an empty field as missing: it gets the same message as a short password.
  password: z
    .string({ error: `Use at least ${PASSWORD_MIN} characters.` })
    .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
    .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`),
  redirectTo: z.string().max(2000).optional(),
});

export const loginSchema = z.object({
  email,
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(PASSWORD_MAX, "That password is too long."),
  redirectTo: z.string().max(2000).optional(),
});
