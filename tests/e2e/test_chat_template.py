"""A model folder's own chat template through the real stack: a temporary copy of stories260K
whose tokenizer_config.json carries a Jinja chat_template. The worker renders chats with it by
default (and says so on /model_details and /worker_get_conv_template), tokenizes without adding
a second BOS, and a conversation the template refuses is a 400 naming the template line at
fastchat-server, as OpenAI clients expect."""

import json
import shutil
import tempfile
import unittest
from pathlib import Path

import harness
from harness import MODEL, post

CHAT = "/v1/chat/completions"
TEMPLATE = ("{{ bos_token }}{% for m in messages %}"
            "{% if m.content == 'forbidden' %}{{ raise_exception('this content is refused') }}{% endif %}"
            "[{{ m.role }}] {{ m.content }}{{ eos_token }}"
            "{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}")


def setUpModule():
    folder = Path(tempfile.mkdtemp(prefix="e2e-chat-template-")) / MODEL
    shutil.copytree(harness.MODEL_DIR, folder)
    config_path = folder / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config["chat_template"] = TEMPLATE
    config_path.write_text(json.dumps(config))
    unittest.addModuleCleanup(shutil.rmtree, folder.parent)
    stack = harness.Stack()
    unittest.addModuleCleanup(stack.stop)
    stack.start_controller()
    stack.start_worker(model_dir=folder)
    stack.server = stack.start_server()
    TemplateCase.stack = stack


class TemplateCase(unittest.TestCase):
    stack = None

    def test_the_worker_names_the_format_in_use(self):
        worker = self.stack.workers[0].url
        details = post(worker, "/model_details", {}).json()
        self.assertEqual(details["prompt_format"]["type"], "chat_template")
        self.assertEqual(details["prompt_format"]["origin"], "tokenizer_config.json")
        self.assertEqual(details["prompt_format"]["end_of_turn"], "</s>")
        conv = post(worker, "/worker_get_conv_template", {}).json()
        self.assertEqual(conv["prompt_format"], details["prompt_format"])
        self.assertIn("template_name", conv["conv"])

    def test_a_chat_is_rendered_with_the_template(self):
        messages = [{"role": "system", "content": "Be kind."},
                    {"role": "user", "content": "Once upon a time"}]
        r = post(self.stack.server.url, CHAT,
                 {"model": MODEL, "messages": messages, "temperature": 0, "max_tokens": 8})
        self.assertEqual(r.status, 200, r.body)
        rendered = "<s>[system] Be kind.</s>[user] Once upon a time</s>[assistant]"
        # The worker counts the template's rendering, tokenized with no BOS added to its own.
        count = post(self.stack.workers[0].url, "/count_token", {"prompt": rendered}).json()
        # /count_token adds BOS to a text without one; the rendering has it already.
        self.assertEqual(r.json()["usage"]["prompt_tokens"], count["count"])

    def test_a_refused_conversation_is_a_400_naming_the_line(self):
        r = post(self.stack.server.url, CHAT,
                 {"model": MODEL, "messages": [{"role": "user", "content": "forbidden"}]})
        self.assertEqual(r.status, 400, r.body)
        error = r.json()["error"]
        self.assertIn("line 1", error["message"])
        self.assertIn("this content is refused", error["message"])
        self.assertEqual(error["type"], "invalid_request_error")
        self.stack.assert_alive()


if __name__ == "__main__":
    unittest.main()
