// GetRandomPassword (API spec §5.7, algorithm §9).
import type { GetRandomPasswordRequest, GetRandomPasswordResponse } from "@aws-sdk/client-secrets-manager";
import { generatePassword } from "../../domain/password.js";
import type { Operation } from "../context.js";

export const GetRandomPassword: Operation<GetRandomPasswordRequest, GetRandomPasswordResponse> = async (input) => ({
  RandomPassword: generatePassword(input),
});
