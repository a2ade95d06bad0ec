#pragma once
// Turns a ChoiceRunner's events into the OpenAI answer: one JSON body (non-streaming) or a
// server-sent event stream. Shared by chat and completions, which differ only in their JSON
// shapes (Endpoint).

#include <string>

#include "common/http/router.h"
#include "protocol/openai/responses.h"
#include "webserver/api/choice_runner.h"
#include "webserver/api/request_metrics.h"

namespace fastchat::api {

struct Endpoint {
  bool chat = true;
  std::string model;
  int num_choices = 1;
  bool logprobs = false;
  bool stream = false;
  bool include_usage = false;
};

/// Drives `runner` to the end and answers through `out`. A failure before anything was sent
/// becomes an HTTP error (thrown as ErrorException for the router to render); after the stream
/// started, an error event followed by [DONE]. `metrics` sees every event, and the end: a
/// completed answer or a client that went away.
void write_response(ChoiceRunner& runner, const Endpoint& endpoint, http::Responder& out,
                    RequestMetrics& metrics);

}  // namespace fastchat::api
