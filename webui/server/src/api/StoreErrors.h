#pragma once
// Maps a refused user or API-key change to its HTTP answer.

#include "auth/StoreError.h"
#include "http/ApiError.h"

namespace callgate::mgmt::api {

inline http::ApiError toApiError(const auth::StoreError& e) {
  switch (e.kind()) {
    case auth::StoreError::Kind::NotFound:
      return http::ApiError(404, "not_found", e.what(), e.field());
    case auth::StoreError::Kind::Conflict:
      return http::ApiError(409, "conflict", e.what(), e.field());
    case auth::StoreError::Kind::Invalid:
      break;
  }
  return http::ApiError(422, "validation_failed", e.what(), e.field());
}

}  // namespace callgate::mgmt::api
